"""The Vietnamese names of a task's status and a budget line's source, as reports and workbooks
print them. A module of its own, so that writing or reading a workbook (in a worker process too)
does not load the PDF library."""

from __future__ import annotations

TASK_STATUS_VI = {
    "not_started": "Chưa triển khai",
    "in_progress": "Đang thực hiện",
    "completed": "Hoàn thành",
    "delayed": "Chậm tiến độ",
    "cancelled": "Đã hủy",
}
BUDGET_SOURCE_VI = {"state_budget": "Ngân sách nhà nước", "oda": "Vốn ODA", "social": "Nguồn xã hội hóa"}
