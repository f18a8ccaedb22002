"""Projects: raising by linked money, spending with a second person's approval, advances, updates, scoping."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from supermarket.audit.models import AuditEvent
from supermarket.auth.errors import ApprovalFailed
from supermarket.errors import NotFound
from supermarket.projects import service
from supermarket.projects.errors import (AlreadyDesignated, BadUpload, InsufficientBalance, ProjectNotOpen,
                                         UploadTooLarge)
from supermarket.projects.files import Upload
from supermarket.projects.models import Expenditure, Voucher
from tests.supermarket.intake.factories import cash, take_in
from tests.supermarket.catalog.factories import make_category
from tests.supermarket.sales.factories import open_shift, sell, stocked_item

from .factories import NOW, PDF, approval, cashier, manager, open_project, png, register, spend


def raised(session, project):
    return service.figures(session, [project.id])[project.id]


def give(session, world, project, amount_fen, code="YL01"):
    donation = take_in(session, world, money=[cash(amount_fen)], code=code).donation
    return service.designate(session, cashier(session, world, code), project.id, donation.money_lines[0].id, now=NOW)


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def test_a_designated_money_donation_raises_and_an_expenditure_spends(session, world):
    project = open_project(session, world)
    give(session, world, project, 30000)
    spend(session, world, project, 12000)
    f = raised(session, project)
    assert (f.raised_fen, f.spent_fen, f.balance_fen) == (30000, 12000, 18000)
    assert [r.kind for r in service.ledger(session, project.id)] == ["donation", "expenditure"]
    actions = set(session.scalars(select(AuditEvent.action)))
    assert {"projects.project_created", "projects.project_opened", "projects.donation_designated",
            "projects.expenditure_recorded"} <= actions


def test_a_donation_line_goes_to_one_project_only(session, world):
    project = open_project(session, world)
    other = open_project(session, world, title="社区助老")
    row = give(session, world, project, 5000)
    with pytest.raises(AlreadyDesignated):
        service.designate(session, cashier(session, world), other.id, row.money_line_id, now=NOW)
    assert raised(session, other).raised_fen == 0


def test_spending_beyond_the_balance_is_refused_and_nothing_written(session, world):
    project = open_project(session, world)
    give(session, world, project, 10000)
    with pytest.raises(InsufficientBalance) as e:
        spend(session, world, project, 10001)
    assert e.value.status == 409 and e.value.code == "projects.insufficient_balance"
    assert count(session, Expenditure) == 0


def test_an_approved_advance_allows_spending_beyond_the_balance_and_marks_it(session, world):
    project = open_project(session, world)
    give(session, world, project, 10000)
    service.record_advance(session, cashier(session, world), project.id, amount_fen=5000,
                           reason="冬衣需提前采购，下月义卖款归还", approval=approval(), now=NOW)
    row = spend(session, world, project, 15000)
    assert row.over_balance is True
    assert raised(session, project).balance_fen == -5000
    with pytest.raises(InsufficientBalance):
        spend(session, world, project, 1)


def test_an_expenditure_approved_by_its_author_is_refused(session, world):
    project = open_project(session, world)
    give(session, world, project, 10000)
    with pytest.raises(ApprovalFailed):
        spend(session, world, project, 100, by=manager(session, world), approver=approval())
    assert count(session, Expenditure) == 0


def test_a_draft_or_closed_project_takes_no_money(session, world):
    draft = open_project(session, world, status="draft")
    with pytest.raises(ProjectNotOpen):
        spend(session, world, draft, 100)
    with pytest.raises(ProjectNotOpen):
        register(session, world, draft)
    project = open_project(session, world, title="已结束项目")
    service.set_status(session, manager(session, world), project.id, "closed", now=NOW)
    with pytest.raises(ProjectNotOpen):
        register(session, world, project)


def test_another_districts_store_project_is_not_found(session, world):
    project = open_project(session, world)
    for user in ("manager-fr01", "auditor-fr", "manager-yl02"):
        with pytest.raises(NotFound):
            service.get_project(session, world.actor(session, user), project.id)
    assert service.get_project(session, world.actor(session, "auditor-yl"), project.id) == project
    assert project not in service.list_projects(session, world.actor(session, "cashier-fr01"))


def test_a_voucher_is_checked_by_its_content_and_kept_with_its_sha256(session, world):
    project = open_project(session, world)
    give(session, world, project, 10000)
    with pytest.raises(BadUpload):
        spend(session, world, project, 100, voucher=Upload("invoice.pdf", b"MZ\x90\x00 not a pdf"))
    with pytest.raises(BadUpload):  # a real image, but a sliver nobody can read
        spend(session, world, project, 100, voucher=Upload("tiny.png", png(40, 20)))
    with pytest.raises(UploadTooLarge):
        spend(session, world, project, 100, voucher=Upload("big.pdf", PDF + b"0" * (6 * 1024 * 1024)))
    assert count(session, Voucher) == 0 and count(session, Expenditure) == 0
    row = spend(session, world, project, 100, voucher=Upload("invoice.pdf", PDF))
    assert row.voucher.content_type == "application/pdf" and len(row.voucher.sha256) == 64
    photo = spend(session, world, project, 100, voucher=Upload("receipt.jpg", png()))
    assert (photo.voucher.content_type, photo.voucher.width_px, photo.voucher.height_px) == ("image/png", 400, 300)
    with pytest.raises(NotFound):
        service.file_for(session, world.actor(session, "manager-fr01"), row.voucher_id)


def test_a_missing_monthly_update_is_visible_until_posted(session, world):
    project = open_project(session, world)
    missing = service.months_missing(session, project, now=NOW)
    assert [m.month for m in missing] == [9, 10, 11]
    service.post_update(session, cashier(session, world), project.id, text="已采购冬衣60件",
                        photo=Upload("p.png", png()), now=NOW)
    assert [m.month for m in service.months_missing(session, project, now=NOW)] == [9, 10]


def test_a_category_share_sends_part_of_the_stores_sales(session, world):
    project = open_project(session, world)
    books = make_category(session, "BOOK", "图书")
    item = stocked_item(session, world, qty=20, price_fen=1000, category=books)
    other = stocked_item(session, world, qty=20, price_fen=1000, name="杯子")
    service.set_category_share(session, manager(session, world), project.id, books.id, 3000, now=NOW)
    open_shift(session, world, now=NOW)
    later = NOW + timedelta(minutes=5)
    sell(session, world, (item, 3), (other, 2), now=later)
    assert raised(session, project).raised_fen == 900  # 30% of ¥30 of books; the cups give nothing
    service.set_category_share(session, manager(session, world), project.id, books.id, 0, now=later + timedelta(seconds=30))
    sell(session, world, (item, 1), now=later + timedelta(minutes=1))
    assert raised(session, project).raised_fen == 900
