"""The audit log in plain language: one sentence template per event type.

A template names the actor as `{who}` (role and username) and any key of the event's summary as `{key}`: money
keys (`*_fen`) read as yuan, lists as their length, a missing key as "—". The Chinese text is the message id;
the English comes from the translations. `tests/supermarket/audit/test_sentences.py` lists every event type the
code writes and fails when one has no template here.
"""
from __future__ import annotations

import json
import re
import string

from flask_babel import lazy_gettext as _l

from ..i18n import yuan

# Grouped by domain, in the order of domains.py: the event-type filter of the page shows these groups.
DOMAIN_LABELS = {
    "stores": _l("门店"), "auth": _l("账号"), "audit": _l("审计"), "catalog": _l("商品目录"),
    "inventory": _l("库存"), "intake": _l("捐赠"), "sales": _l("销售"), "points": _l("积分"),
    "aid": _l("物资发放"), "projects": _l("慈善项目"), "outreach": _l("宣传与服务"), "flags": _l("预警"),
    "standards": _l("标准化核查"), "rating": _l("星级评定"), "disclosure": _l("结账公示"),
}

SENTENCES = {
    # stores, auth, audit
    "stores.district_created": _l("{who} 新建区县 {code} {name}"),
    "stores.store_created": _l("{who} 新建门店 {code} {name}"),
    "stores.store_updated": _l("{who} 修改了门店资料（{changed}）"),
    "auth.login": _l("{who} 登录系统（来自 {address}）"),
    "auth.token_issued": _l("{who} 签发了接口令牌 {label}"),
    "auth.token_revoked": _l("{who} 吊销了 {user} 的接口令牌"),
    "auth.user_created": _l("{who} 新建账号 {username}（{role}）"),
    "auth.user_updated": _l("{who} 修改了账号资料（{changed}）"),
    "audit.ledger_rows": _l("{who} 开始在审计链中记录台账明细"),
    "audit.chain_verified": _l("{who} 核验审计链：{result}，共 {events} 条、{chains} 条链"),
    # catalog
    "catalog.category_created": _l("{who} 新建商品类别 {code} {name}"),
    "catalog.category_updated": _l("{who} 修改了商品类别（{changed}）"),
    "catalog.demo_items_loaded": _l("{who} 载入演示商品 {items} 个"),
    "catalog.item_created": _l("{who} 新建商品 {name}，条码 {barcode}，售价 {price_fen}"),
    "catalog.item_updated": _l("{who} 修改了商品（{changed}）"),
    "catalog.store_price_set": _l("{who} 将门店售价由 {old} 改为 {new}"),
    "catalog.store_prices_loaded": _l("{who} 批量载入门店售价 {items} 个"),
    # inventory
    "inventory.movement_corrected": _l("{who} 更正库存流水：{kind} 数量 {qty}，原因 {reason}"),
    "inventory.opening_stock_loaded": _l("{who} 载入期初库存 {units} 件"),
    "inventory.period_closed": _l("{who} 关闭了 {month} 的库存账期"),
    "inventory.settings_updated": _l("{who} 修改了门店库存设置（{changed}）"),
    "inventory.stocktake_cancelled": _l("{who} 取消了盘点 {number}"),
    "inventory.stocktake_counted": _l("{who} 在盘点 {number} 中录入 {item} 数量 {qty}"),
    "inventory.stocktake_expiry_set": _l("{who} 在盘点 {number} 中为 {item} 登记保质期 {expiry_date}"),
    "inventory.stocktake_posted": _l("{who} 过账盘点 {number}：差异 {variance_qty} 件，金额 {variance_value_fen}，"
                                     "审批人 {approver}"),
    "inventory.stocktake_started": _l("{who} 开始盘点 {number}"),
    "inventory.transfer_discrepancy": _l("{who} 登记调拨 {number} 短少 {short_qty} 件"),
    "inventory.transfer_received": _l("{who} 接收调拨 {number}，{lines} 行，短少 {short_qty} 件"),
    "inventory.transfer_shipped": _l("{who} 发出调拨 {number}，{lines} 行，调往 {to}"),
    "inventory.written_off": _l("{who} 报损 {item} {qty} 件，金额 {value_fen}，单号 {number}，审批人 {approver}"),
    # intake
    "intake.donation_recorded": _l("{who} 接收捐赠 {serial}：物品 {units} 件价值 {goods_value_fen}，"
                                   "现金 {money_fen}，复核人 {checker}"),
    "intake.donor_created": _l("{who} 登记了一位捐赠人（{kind}）"),
    "intake.pledge_cancelled": _l("{who} 取消了一项认捐，原因 {reason}"),
    "intake.pledge_created": _l("{who} 登记认捐 {amount_fen}，到期 {due}"),
    "intake.pledge_followed_up": _l("{who} 跟进认捐：{note}"),
    "intake.receipt_printed": _l("{who} 打印捐赠收据 {serial}"),
    "intake.receipt_reprinted": _l("{who} 重打捐赠收据 {serial}（第 {copy} 份）"),
    # sales
    "sales.items_returned": _l("{who} 为 {original} 办理退货 {number}，退款 {refund_fen}，审批人 {approver}，"
                               "原因 {reason}"),
    "sales.price_overridden": _l("{who} 在销售 {number} 中改价 {lines} 行"),
    "sales.receipt_printed": _l("{who} 打印小票 {number}"),
    "sales.receipt_print_failed": _l("{who} 打印小票 {number} 到 {printer}（{address}）失败：打印机没有响应"),
    "sales.labels_printed": _l("{who} 打印 {item} 的价签 {copies} 张到 {printer}"),
    "sales.printer_added": _l("{who} 添加打印机 {name}（{address}，{paper_mm} 毫米）"),
    "sales.printer_removed": _l("{who} 删除打印机 {name}（{address}）"),
    "sales.shift_report_printed": _l("{who} 将班次 {number} 的 {report} 报表打印到 {printer}"),
    "sales.change_donated": _l("{who} 在销售 {number} 中代顾客将 {amount_fen} 捐给项目“{project}”"),
    "sales.sale_completed": _l("{who} 完成销售 {number}：{lines} 行，金额 {total_fen}（{tenders}）"),
    "sales.sale_voided": _l("{who} 作废销售 {original}（{number}，金额 {total_fen}），审批人 {approver}，"
                            "原因 {reason}"),
    "sales.shift_closed": _l("{who} 结班 {number}，差异 {variance_fen}，确认人 {approver}"),
    "sales.shift_opened": _l("{who} 开班 {number}，备用金 {float_fen}"),
    "sales.cash_paid_in": _l("{who} 在班次 {shift} 收入现金 {amount_fen}，原因 {reason}，审批人 {approver}"),
    "sales.cash_paid_out": _l("{who} 在班次 {shift} 支出现金 {amount_fen}，原因 {reason}，审批人 {approver}"),
    "sales.cash_no_sale": _l("{who} 在班次 {shift} 打开钱箱（无销售），原因 {reason}"),
    "sales.offline_block_reserved": _l("{who} 为平板预留离线单号 {prefix}，共 {size} 个"),
    "sales.offline_sale_landed": _l("{who} 上传离线销售 {provisional}（售于 {sold_at}），入账为 {number}；问题：{problems}"),
    "sales.offline_problem_resolved": _l("{who} 处理离线销售 {provisional}（{number}）的问题：{note}"),
    "sales.discount_given": _l("{who} 在销售 {number} 中给出折扣：{discounts}，共 {discount_fen}"),
    "sales.discount_approved": _l("{approver} 批准了 {who} 在销售 {number} 中的折扣：{discounts}，共 {discount_fen}"),
    "sales.discount_limits_changed": _l("{who} 修改了折扣权限：收银员 {cashier_percent}% / {cashier_fen}，"
                                        "店长 {manager_percent}% / {manager_fen}"),
    "sales.till_settings_changed": _l("{who} 修改了收银设置（小票宽度 {receipt_width_mm} 毫米）"),
    "sales.sale_parked": _l("{who} 在班次 {shift} 挂单：{lines} 行，金额 {total_fen}"),
    "sales.held_sale_recalled": _l("{who} 在班次 {shift} 取回挂单：{lines} 行，金额 {total_fen}"),
    "sales.held_sale_discarded": _l("{who} 在班次 {shift} 作废挂单（{lines} 行，金额 {total_fen}），原因 {reason}"),
    "sales.returned_without_receipt": _l("{who} 办理无小票退货 {number}：{item} × {qty}，退现金 {refund_fen}，"
                                         "审批人 {approver}，原因 {reason}"),
    "sales.open_return_limit_changed": _l("{who} 修改了无小票退货每笔限额（{limit_fen}）"),
    # points
    "points.adjusted": _l("{who} 调整会员 {member_code} 的积分 {points} 分，审批人 {approver}，原因 {reason}"),
    "points.credit_approved": _l("{who} 批准积分入账 {points} 分"),
    "points.credit_landed": _l("{who} 积分到账 {points} 分"),
    "points.credit_posted": _l("{who} 为会员 {member_code} 登记积分 {points} 分（{activity}）"),
    "points.credit_rejected": _l("{who} 退回积分入账，原因 {reason}"),
    "points.expired": _l("{who} 使 {points} 分积分到期失效"),
    "points.objection_raised": _l("{who} 对积分入账提出异议：{reason}"),
    "points.objection_resolved": _l("{who} 处理积分异议：{resolution}"),
    "points.pin_reset": _l("{who} 重置了一位会员的积分密码"),
    "points.redeemed": _l("{who} 为会员 {member_code} 兑换 {points} 分（{ref}）"),
    "points.refunded": _l("{who} 退还积分 {points} 分（{ref}）"),
    "points.resident_registered": _l("{who} 登记积分会员 {member_code}"),
    "points.resident_status": _l("{who} 将积分会员状态由 {from} 改为 {to}，原因 {reason}"),
    "points.reversed": _l("{who} 冲正积分 {points} 分，原因 {reason}"),
    "points.shift_entered": _l("{who} 为会员 {member_code} 录入志愿服务 {minutes} 分钟，积分 {points} 分"),
    "points.table_published": _l("{who} 发布积分标准第 {version} 版，{effective_from} 起生效"),
    # aid
    "aid.campaign_closed": _l("{who} 结束发放活动 {serial}"),
    "aid.campaign_created": _l("{who} 新建发放活动 {serial} {name}"),
    "aid.campaign_households_added": _l("{who} 为发放活动加入 {added} 户"),
    "aid.category_saved": _l("{who} 保存救助类别 {name}"),
    "aid.distributed": _l("{who} 为 {household} 发放物资 {items} 件，价值 {value_fen}，见证人 {witness}"),
    "aid.entitlement_created": _l("{who} 新建发放标准"),
    "aid.entitlement_updated": _l("{who} 修改了发放标准"),
    "aid.household_registered": _l("{who} 登记救助家庭 {code}（{category}），复核日期 {review_due}"),
    "aid.household_reviewed": _l("{who} 复核救助家庭，下次复核 {review_due}"),
    "aid.household_status": _l("{who} 将救助家庭状态由 {from} 改为 {to}，原因 {reason}"),
    "aid.household_updated": _l("{who} 修改了救助家庭资料（{changed}）"),
    "aid.override": _l("{who} 超标准发放 {serial}，批准人 {by}，原因 {reason}"),
    "aid.sheet_photo_attached": _l("{who} 上传了签收单照片"),
    # projects
    "projects.advance_recorded": _l("{who} 登记项目借款 {amount_fen}，审批人 {approver}"),
    "projects.category_share_set": _l("{who} 设置项目的类别分成"),
    "projects.columns_mapped": _l("{who} 设置 {platform} 订单表的列对应"),
    "projects.donation_designated": _l("{who} 将捐款 {amount_fen} 指定给项目"),
    "projects.expenditure_recorded": _l("{who} 登记项目支出 {amount_fen}，收款方 {payee}，审批人 {approver}"),
    "projects.orders_imported": _l("{who} 导入直播订单 {order_rows} 行，合计 {total_fen}"),
    "projects.project_closed": _l("{who} 结束了慈善项目"),
    "projects.project_created": _l("{who} 新建慈善项目 {title}，目标 {target_fen}"),
    "projects.project_opened": _l("{who} 开启了慈善项目"),
    "projects.session_closed": _l("{who} 结束直播义买对账：平台差异 {platform_difference_fen}，"
                                  "到账差异 {received_difference_fen}"),
    "projects.session_published": _l("{who} 公示了直播义买结果"),
    "projects.session_registered": _l("{who} 登记直播义买 {title}（{platform}）"),
    "projects.session_totals_recorded": _l("{who} 登记直播平台合计 {platform_total_fen}，到账 {received_fen}"),
    "projects.till_mode_off": _l("{who} 关闭收银台的直播模式"),
    "projects.till_mode_on": _l("{who} 在班次 {shift} 开启直播模式（{title}）"),
    "projects.update_posted": _l("{who} 发布 {month} 的项目进展"),
    # outreach
    "outreach.complaint_answered": _l("{who} 答复投诉 {reference}（用时 {days} 天）"),
    "outreach.complaint_received": _l("{who} 登记投诉 {reference}"),
    "outreach.event_recorded": _l("{who} 登记宣传活动 {title}，覆盖 {people_reached} 人"),
    "outreach.opening_hours_set": _l("{who} 设置了营业时间"),
    "outreach.profile_document": _l("{who} 上传门店档案文件 {code}"),
    "outreach.profile_item_cleared": _l("{who} 清除门店档案项目 {code}"),
    "outreach.profile_updated": _l("{who} 更新门店档案"),
    "outreach.service_logged": _l("{who} 登记便民服务 {count} 次"),
    "outreach.service_type_added": _l("{who} 新增服务项目 {name}"),
    "outreach.service_type_resumed": _l("{who} 恢复服务项目"),
    "outreach.service_type_stopped": _l("{who} 停用服务项目"),
    "outreach.training_recorded": _l("{who} 登记培训 {topic}"),
    # flags
    "flags.closed": _l("{who} 关闭预警（{kind}）"),
    "flags.confirmed": _l("{who} 确认预警属实"),
    "flags.detected": _l("{who} 运行预警检查，新增 {raised} 条"),
    "flags.explained": _l("{who} 说明预警已解释"),
    "flags.thresholds_saved": _l("{who} 保存预警阈值"),
    # standards
    "standards.applicable_again": _l("{who} 恢复适用核查规则 {rule}"),
    "standards.draft_created": _l("{who} 新建标准草稿"),
    "standards.draft_updated": _l("{who} 修改标准草稿"),
    "standards.load": _l("{who} 载入标准第 {version} 版"),
    "standards.not_applicable": _l("{who} 将核查规则 {rule} 标为不适用，原因 {reason}"),
    "standards.published": _l("{who} 发布标准第 {version} 版，{effective_from} 起生效"),
    # disclosure
    # rating
    "rating.round_open": _l("{who} 开启评定轮次 {name}（截止 {deadline}，{stores} 家门店，标准第 {version} 版）"),
    "rating.answer": _l("{who} 自评 {rule}：等级 {grade}，附证据 {evidence} 份"),
    "rating.submit": _l("{who} 提交自评：申请 {stars_applied} 星，总分 {total}，得分允许 {stars_allowed} 星"),
    "rating.return": _l("{who} 退回自评 {items} 项修改，原因 {reason}"),
    "rating.accept": _l("{who} 审核通过自评：改判 {overrides} 项，总分 {total}，下一步 {next}"),
    "rating.onsite_schedule": _l("{who} 安排现场核查：{scheduled_on}，核查人 {inspectors}"),
    "rating.round_close": _l("{who} 关闭评定轮次 {name}（未提交而失效的自评 {lapsed} 份）"),
    "rating.proposal_reject": _l("{who} 驳回星级 {decision} 的降级建议，理由 {reason}"),
    "rating.onsite": _l("{who} 完成现场核查（{auditors} 人签字，照片 {photos} 张），总分 {total}"),
    "rating.objection": _l("收到公示异议 {reference}"),
    "rating.objection_answer": _l("{who} 答复公示异议 {reference}"),
    "rating.decide": _l("{who} 作出评定决定 {number}：{stars} 星，有效期至 {valid_until}"),
    "rating.valid": _l("{who} 恢复星级 {number}：{reason}"),
    "rating.suspended": _l("{who} 暂停星级 {number}：{reason}"),
    "rating.revoked": _l("{who} 撤销星级 {number}：{reason}"),
    "rating.expired": _l("{who} 登记星级 {number} 到期：{reason}"),
    "rating.proposal_yearly": _l("{who} 记录星级 {decision} 的年审：{reason}"),
    "rating.proposal_downgrade": _l("{who} 提议星级 {decision} 降级：{reason}"),
    "rating.downgrade": _l("{who} 确认降级：{from} 星降为 {to} 星，原因 {reason}"),
    "rating.finding": _l("{who} 记录问题（规则 {rule}，严重程度 {severity}，整改期限 {due_on}）"),
    "rating.finding_response": _l("{who} 提交整改说明，附证据 {evidence} 份"),
    "rating.finding_close": _l("{who} 关闭整改事项：{note}"),
    "rating.finding_reopen": _l("{who} 重新打开整改事项：{note}"),
    "disclosure.accepted": _l("{who} 接受了公示"),
    "disclosure.corrected": _l("{who} 更正 {month} 的公示（第 {version} 版），原因 {reason}"),
    "disclosure.published": _l("{who} 发布 {month} 的公示（第 {version} 版）"),
    "disclosure.returned": _l("{who} 退回了公示"),
    "disclosure.trace_token_issued": _l("{who} 签发捐赠追溯码 {serial}"),
    "disclosure.trace_token_reissued": _l("{who} 重新签发捐赠追溯码"),
    "disclosure.trace_token_revoked": _l("{who} 吊销捐赠追溯码"),
}

# Where the document an event is about opens: subject_type -> (endpoint, the URL parameter of its id).
SUBJECT_LINKS = {
    "sales": ("sales.sale_detail", "sale_id"),
    "shifts": ("sales.shift_detail", "shift_id"),
    "donations": ("intake.donation", "donation_id"),
    "donors": ("intake.donor", "donor_id"),
    "pledges": ("intake.pledge", "pledge_id"),
    "stocktakes": ("inventory.stocktake", "stocktake_id"),
    "transfers": ("inventory.transfer_detail", "transfer_id"),
    "write_offs": ("inventory.write_off_detail", "write_off_id"),
    "households": ("aid.household", "household_id"),
    "distributions": ("aid.distribution", "distribution_id"),
    "aid_campaigns": ("aid.campaign", "campaign_id"),
    "residents": ("points.staff.resident", "resident_id"),
    "projects": ("projects.project", "project_id"),
    "live_sessions": ("projects.livestream", "session_id"),
    "flags": ("flags.flag", "flag_id"),
    "stores": ("stores.store_home", "store_id"),
    "items": ("catalog.item_detail", "item_id"),
    "outreach_complaints": ("outreach.complaints.complaint", "complaint_id"),
}


def grouped_actions() -> list[tuple[str, list[str]]]:
    """[(domain label, [action, …])] for the event-type filter."""
    groups: dict[str, list[str]] = {}
    for action in SENTENCES:
        groups.setdefault(action.split(".", 1)[0], []).append(action)
    return [(str(DOMAIN_LABELS.get(d, d)), sorted(a)) for d, a in groups.items()]


def action_label(action: str) -> str:
    """A short name of an event type for the filter: its sentence's first clause, the actor left out and each
    other placeholder shown as "…" ("为 … 发放物资 … 件")."""
    template = SENTENCES.get(action)
    if template is None:
        return action
    text = str(template).replace("{who}", "").strip()
    text = re.split(r"[，：,:（(]", text, maxsplit=1)[0]
    text = re.sub(r"\{[^}]*\}", "…", text)
    text = re.sub(r"…(\s*…)+", "…", text)
    return " ".join(text.split()) or action


def _value(key: str, value) -> str:
    if value is None or value == "":
        return "—"
    if key.endswith("_fen") and isinstance(value, int) and not isinstance(value, bool):
        return yuan(value)
    if key == "tenders" and isinstance(value, dict):
        return "、".join(f"{k} {yuan(v) if isinstance(v, int) else v}" for k, v in value.items())
    if isinstance(value, bool):
        return str(_l("是") if value else _l("否"))
    if isinstance(value, list):
        return str(len(value))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)[:80]
    return str(value)


class _Fields(dict):
    def __missing__(self, key):
        return "—"


def summary_of(raw: str) -> dict:
    try:
        data = json.loads(raw or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def sentence(event, role_label: str = "") -> str:
    """The event as one sentence in the current language."""
    data = summary_of(event.summary)
    fields = _Fields({k: _value(k, v) for k, v in data.items() if isinstance(k, str)})
    fields["who"] = f"{role_label} {event.actor_name}".strip()
    fields["changed"] = "、".join(k for k in data if not k.startswith("_")) or "—"
    template = SENTENCES.get(event.action)
    if template is None:
        return f"{fields['who']} {event.action}"
    # Only named fields: a stray brace in a translation must not raise on the page.
    try:
        return string.Formatter().vformat(str(template), (), fields)
    except (IndexError, ValueError, KeyError, AttributeError):
        return f"{fields['who']} {event.action}"


def document_link(event) -> tuple[str, dict] | None:
    """(endpoint, values) of the document the event is about, when it has a page."""
    link = SUBJECT_LINKS.get(event.subject_type)
    if link is None or not event.subject_id:
        return None
    import uuid

    try:
        uuid.UUID(str(event.subject_id))
    except ValueError:
        return None
    endpoint, param = link
    return endpoint, {param: event.subject_id}
