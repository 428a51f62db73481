"""Creating a province's database and telling what a database holds."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from crc_desktop.core.db.engine import Database
from crc_desktop.core.db.identity import OFFICE, stamp
from crc_desktop.core.db.models import (
    AppInfoRecord,
    AreaRecord,
    OfficeProfileRecord,
    ProvinceRecord,
)
from crc_desktop.core.db.revision import DEMO_KEY
from crc_desktop.core.db.uow import Actor, UnitOfWork
from crc_desktop.core.errors import InputRefused
from crc_desktop.core.rules.places import default_names
from crc_desktop.core.schemas.changes import Changes
from crc_desktop.core.schemas.office import DatabaseInfo, OfficeProfile, ProfileInput, ProfileSaved
from crc_desktop.core.services.catalog import CatalogService
from crc_desktop.core.services.overview import OverviewService


def refuse_number_in_symbol(symbol: str) -> None:
    """The symbol ("BC-SYT") is the office's for every report; the number ("125") is given by the
    clerk for each document, at signing: a symbol that starts with one is refused."""
    number, slash, _ = symbol.partition("/")
    if slash and number.strip().isdigit():
        raise InputRefused(
            "The symbol holds only the symbol (e.g. BC-SYT), not the number {number}: the clerk "
            "gives a number to each document when it is signed (Số: {number}/BC-SYT).",
            number=number.strip(),
        )


def _profile(record: OfficeProfileRecord) -> OfficeProfile:
    return OfficeProfile(
        province_code=record.province.code,
        province_name=record.province.name,
        office_name=record.office_name,
        parent_agency=record.parent_agency,
        place_name=record.place_name,
        document_symbol=record.document_symbol,
        signer_name=record.signer_name,
        signer_title=record.signer_title,
        signing_for=record.signing_for,
        recipients=[line for line in record.recipients.splitlines() if line.strip()],
    )


class SetupService:
    """Initialises a database for one province and reports on its contents."""

    def __init__(self, database: Database, actor: Actor) -> None:
        self._database = database
        self._actor = actor

    def init(self, province_code: str, *, demo: bool = False) -> OfficeProfile:
        with UnitOfWork(self._database, self._actor, write=True) as uow:
            profile = self.init_in(uow, province_code, demo=demo)
            uow.commit()
        return profile

    def init_in(self, uow: UnitOfWork, province_code: str, *, demo: bool = False) -> OfficeProfile:
        """Load the shipped catalogues and make the office profile, inside `uow`."""
        session = uow.session
        existing = session.get(OfficeProfileRecord, 1)
        if existing is not None:
            raise InputRefused(
                "This database already belongs to {province}.", province=existing.province.name
            )
        CatalogService(self._database, self._actor).import_shipped(uow)
        today = dt.date.today()
        province = session.scalar(
            select(ProvinceRecord)
            .where(ProvinceRecord.code == province_code.strip())
            .where(ProvinceRecord.valid_from <= today)
            .where((ProvinceRecord.valid_to.is_(None)) | (ProvinceRecord.valid_to >= today))
        )
        if province is None:
            codes = ", ".join(session.scalars(select(ProvinceRecord.code).order_by(ProvinceRecord.code)))
            raise InputRefused(
                "{code} is not the code of a province; the codes are: {codes}.",
                code=province_code,
                codes=codes,
            )
        session.add(
            AreaRecord(
                code=province.code,
                name=province.name,
                level="province",
                kind=province.kind,
                valid_from=province.valid_from,
                valid_to=province.valid_to,
                source=province.source,
            )
        )
        names = default_names(province)
        record = OfficeProfileRecord(
            id=1,
            province=province,
            office_name=names.office_name,
            parent_agency=names.parent_agency,
            place_name=names.place_name,
        )
        session.add(record)
        session.add(AppInfoRecord(key=DEMO_KEY, value="true" if demo else "false"))
        stamp(session, OFFICE)
        session.flush()
        if not demo:  # the demo brings its own communes and agencies, marked as not official
            CatalogService(self._database, self._actor).import_shipped_for_province(uow)
        uow.audit("database.init", "office_profile", province.code, new={"province": province.code})
        return _profile(record)

    def update_profile(self, data: ProfileInput) -> ProfileSaved:
        refuse_number_in_symbol(data.document_symbol)
        with UnitOfWork(self._database, self._actor, write=True) as uow:
            record = uow.session.get(OfficeProfileRecord, 1)
            if record is None:
                raise InputRefused("This database has no office profile yet; run init first.")
            old = _profile(record).model_dump(include=set(ProfileInput.model_fields))
            for name, value in data.model_dump().items():
                setattr(record, name, "\n".join(value) if name == "recipients" else value)
            uow.session.flush()
            uow.audit(
                "profile.update", "office_profile", record.province.code, old=old, new=data.model_dump()
            )
            profile = _profile(record)
            uow.commit()
            return ProfileSaved.of(profile, Changes(office=True))

    def info(self, *, counts: bool = True) -> DatabaseInfo:
        """The office, the periods and (with `counts`) how many of each thing the database holds."""
        return OverviewService(self._database.path).info(counts=counts)
