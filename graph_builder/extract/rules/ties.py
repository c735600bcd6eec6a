"""Ties: alliance memberships and partnerships, with the role the text gives.

Roles come from role words (…协作医院, 理事单位, X、Y为成员单位, 作为副理事长单位加入),
from verbs (牵头成立 -> 牵头单位, 托管, 与X合作共建, 与X合作, 联合X举办, 依托X) and
from referents (成为该校教学医院: 该校 is the school named just before).
"""

from __future__ import annotations

import re

from graph_builder.extract import cues
from graph_builder.extract.context import Context
from graph_builder.extract.names import (
    is_alliance,
    is_government,
    is_hospital,
    is_org,
    name_start,
    without_department,
)
from graph_builder.extract.titles import read_title, split_top
from graph_builder.extract.vocab import vocab

LIST_SEP = re.compile(r"[、，,]|和|及|与")


def _roles() -> re.Pattern[str]:
    return vocab().alt("ties.alliance_roles", "ties.partnership_roles")


def _kind(role: str) -> str:
    return "alliance-membership" if role in vocab().words("ties.alliance_roles") else "partnership"


def copula_lists(ctx: Context) -> None:
    """医院是A、B，C / 作为A: each part read as a title (a tie or a designation)."""
    doc, v = ctx.doc, vocab()
    flat = doc.flat
    copula = v.alt("verbs.copula")
    for line in doc.lines:
        if line.item:
            continue
        for m in copula.finditer(flat, line.start, line.end):
            cs, _ = doc.clause(m.start())
            head = re.sub(
                r"（[^）]*）|(?:同时|也|还|现|已|均|目前)$", "", flat[cs : m.start()].strip()
            )
            if head and not ctx.is_self(head):
                continue
            _, se = doc.sentence(m.end())
            body = flat[m.end() : se].split("；", 1)[0]
            for s, e in split_top(body):
                lead = re.match(r"(?:也|还|同时|并|均|又)?(?:是|为|系|作为|现为)", body[s:e])
                s += lead.end() if lead else 0
                part = body[s:e]
                if cues.blocked("", part, "", flat[cs:se]) or "的" in re.sub(r"“[^”]*”", "", part):
                    continue
                read_title(
                    ctx,
                    m.end() + s,
                    m.end() + e,
                    "copula",
                    anchored=True,
                    when=ctx.when(m.end() + s, "granted"),
                )


def _alliances(ctx: Context) -> list[tuple[int, str]]:
    """Named alliances in the text, by position (computed once per report)."""
    cached = ctx.cache.get("alliances")
    if isinstance(cached, list):
        return cached
    flat = ctx.doc.flat
    out: list[tuple[int, str]] = []
    for m in vocab().alt("alliance_suffixes").finditer(flat):
        start = name_start(flat, m.end(), max(0, m.end() - 40), min_len=len(m.group()))
        name = re.sub(r"^(?:全市|全省|全区|全县)", "", ctx.doc.name(start, m.end()))
        if is_alliance(name) and not re.search(r"[0-9]", name):
            out.append((start, name))
    ctx.cache["alliances"] = out
    return out


def _alliance_at(ctx: Context, name: str) -> int:
    """Where the text last names the alliance `name` (its start)."""
    return max((at for at, named in _alliances(ctx) if named == name), default=-1)


def _alliance_before(ctx: Context, pos: int) -> str:
    named = [name for at, name in _alliances(ctx) if at < pos]
    return named[-1] if named else ""


def member_lists(ctx: Context) -> None:
    """X、Y为副理事长单位；A为成员单位 (a clause each) and 成员单位包括A、B等N家."""
    doc, v = ctx.doc, vocab()
    flat = doc.flat
    role_re = _roles()
    pattern = re.compile(rf"(?:为|是|作为)(?:联盟|该联盟)?({role_re.pattern})(?=[，。；\n]|$)")
    for m in pattern.finditer(flat):
        cs, _ = doc.clause(m.start())
        alliance = _alliance_before(ctx, m.start())
        if not alliance:
            continue
        role = m.group(1)
        for s, e in split_top(flat[cs : m.start()]):
            org = without_department(doc.name(cs + s, cs + e))
            if not is_org(org) or is_government(org):
                continue
            ctx.emit(
                _kind(role),
                alliance,
                (cs, m.end()),
                "member-list",
                subject=ctx.resolve(org),
                role=role,
                status="granted",
                when=ctx.when(m.start(), "granted"),
            )
    labelled = re.compile(rf"({role_re.pattern})[：:]([^；;。\n]{{2,300}})")
    for m in labelled.finditer(flat):  # 牵头单位：X；成员单位：A、B、C
        alliance = _alliance_before(ctx, m.start())
        if not alliance:
            continue
        role = m.group(1)
        for part in LIST_SEP.split(m.group(2)):
            org = without_department(part.strip())
            if not org or not is_org(org) or is_government(org) or org == alliance:
                continue
            ctx.emit(
                _kind(role),
                alliance,
                (m.start(), m.end()),
                "member-list:labelled",
                subject=ctx.resolve(org),
                role=role,
                status="granted",
                when=ctx.when(m.start(), "granted"),
            )
    members = re.compile(
        rf"(?:{v.alt('ties.member_list').pattern})([^。；]{{4,200}}?)等?[0-9一二三四五六七八九十]*家"
    )
    for m in members.finditer(flat):
        alliance = _alliance_before(ctx, m.start())
        if not alliance:
            continue
        body = m.group(1)
        for part in LIST_SEP.split(body):
            org = part.strip()
            if is_hospital(org):
                ctx.emit(
                    "alliance-membership",
                    alliance,
                    (m.start(), m.end()),
                    "member-list:includes",
                    subject=ctx.resolve(org),
                    role=v.text("ties.member_role"),
                    status="granted",
                    when=ctx.when(m.start(), "granted"),
                )


def leads(ctx: Context) -> None:
    """牵头成立/牵头组建/组建了 <alliance> and 该联盟由X牵头成立: the lead unit."""
    doc, v = ctx.doc, vocab()
    flat = doc.flat
    role = v.text("ties.lead_role")
    for m in v.alt("ties.lead_verbs").finditer(flat):
        cs, ce = doc.clause(m.start())
        if cues.blocked(flat[cs : m.start()], "", "", flat[slice(*doc.sentence(m.start()))]):
            continue
        tail = flat[m.end() : ce]
        run = re.match(r"[\u4e00-\u9fffA-Za-z0-9（）]+", tail)
        by = re.search(r"由([\u4e00-\u9fff]{3,30}?)$", flat[cs : m.start()])
        if by and m.group().startswith("牵头"):
            alliance = _referred_alliance(ctx, flat[cs : m.start()], m.start())
            org = ctx.resolve(by.group(1))
            if alliance and is_org(by.group(1)):
                ctx.emit(
                    "alliance-membership",
                    alliance,
                    (cs, m.end()),
                    "lead:by",
                    subject=org,
                    role=role,
                    status="granted",
                    when=ctx.when(m.start(), "granted"),
                )
            continue
        if not run:
            continue
        name = _longest_alliance(run.group())
        if not name:
            continue
        subject = ctx.actor(cs, m.start())
        ctx.emit(
            "alliance-membership",
            name,
            (m.start(), m.end() + len(name)),
            "lead:verb",
            subject=subject,
            role=role,
            status="granted",
            when=ctx.when(m.start(), "granted"),
        )


def _longest_alliance(run: str) -> str:
    for end in range(len(run), 3, -1):
        if is_alliance(run[:end]):
            return run[:end]
    return ""


def _referred_alliance(ctx: Context, pre: str, pos: int) -> str:
    if any(word in pre for word in vocab().words("ties.the_alliance")):
        return _alliance_before(ctx, pos)
    return ""


def joins(ctx: Context) -> None:
    """[作为R]加入X[和Y][，成为该中心R]: memberships, with the role said before or after."""
    doc, v = ctx.doc, vocab()
    flat = doc.flat
    role_re = _roles()
    for m in v.alt("ties.join_verbs").finditer(flat):
        cs, ce = doc.clause(m.start())
        ss, se = doc.sentence(m.start())
        if cues.blocked(flat[cs : m.start()], "", "", flat[ss:se]):
            continue
        before = re.search(rf"(?:以|作为)?({role_re.pattern})(?:身份)?$", flat[cs : m.start()])
        run = re.match(r"[^，。；：\n]+", flat[m.end() : ce])
        if not run:
            # X牵头组建Y，医院作为成员单位加入: the alliance the sentence named before
            alliance = _alliance_before(ctx, cs)
            if before and alliance and doc.sentence(cs)[0] <= _alliance_at(ctx, alliance):
                ctx.emit(
                    _kind(before.group(1)),
                    alliance,
                    (cs, m.end()),
                    "join:before",
                    subject=ctx.actor(cs, m.start()),
                    role=before.group(1),
                    status="granted",
                    when=ctx.when(m.start(), "granted"),
                )
            continue
        names = [p for p in re.split(r"和|及|、", run.group()) if p]
        # 加入了由X牵头组建的Y: the alliance is what the relative clause ends in
        names = [re.sub(r"^了?(?:由[^，。；]*?的)?", "", p) for p in names]
        names = [p for p in names if p]
        after = re.search(rf"成为(?:该中心|该联盟|该会|其)?({role_re.pattern})", flat[ce:se])
        role = before.group(1) if before else (after.group(1) if after and len(names) == 1 else "")
        at = m.end()
        for name in names:
            org = re.sub(r"(?:后|以来|之后)$", "", name)
            if not (is_alliance(org) or is_org(org)) or is_government(org):
                at += len(name) + 1
                continue
            kind = _kind(role) if role else "alliance-membership"
            ctx.emit(
                kind,
                org,
                (m.start(), at + len(name)),
                "join",
                subject=ctx.actor(cs, m.start()),
                role=role,
                status="granted",
                when=ctx.when(m.start(), "granted"),
            )
            at += len(name) + 1


def with_partner(ctx: Context) -> None:
    """与X合作共建 / 与X(深度)合作 (without a quoted name after it): a partnership;
    与X医联体成员单位的联系: membership of X with no role stated."""
    doc, v = ctx.doc, vocab()
    flat = doc.flat
    verbs = v.mapping("ties.with_verbs")
    verb_re = "|".join(sorted(verbs, key=len, reverse=True))
    pattern = re.compile(
        rf"与([^，。；“”]{{3,40}}?)(?:（[^）]*）)?(?:等[^，。；]{{0,6}}?)?(?:牵手|开展|建立|签署|签订|签约|的)?({verb_re})(?!“)"
    )
    for m in pattern.finditer(flat):
        cs, _ = doc.clause(m.start())
        ss, se = doc.sentence(m.start())
        pre = flat[cs : m.start()]
        if cues.blocked(pre, "", "", flat[ss:se]):
            continue
        if re.match(r"共建|“", flat[m.end() :]):
            continue
        raw = m.group(1)
        org = _org_prefix(raw)
        if org and org != raw and raw[len(org) :].startswith("成员单位"):
            continue
        if not org:
            continue
        if is_government(org):
            continue
        actor, begin = ctx.actor(cs, m.start()), m.start()
        if ctx.is_self(org):  # X与<the hospital>签署…: the other party is X
            partner = _org_prefix(pre.strip())
            if not partner or ctx.is_self(partner) or is_government(partner):
                continue
            org, actor, begin = partner, ctx.subject, cs
        state = cues.status(pre)
        role = verbs[m.group(2)]
        ctx.emit(
            "partnership",
            ctx.resolve(org),
            (begin, m.end()),
            "with-partner",
            subject=actor,
            role=role,
            status=state,
            when=ctx.when(m.start(), state),
        )
    fellow = re.compile(r"与([^，。；“”]{3,40}?)(?:各)?成员单位")
    for m in fellow.finditer(flat):
        name = re.sub(r"^(?:全市|全省|全区|全县)", "", m.group(1))
        if is_alliance(name):
            cs, _ = doc.clause(m.start())
            ctx.emit(
                "alliance-membership",
                name,
                (m.start(), m.end()),
                "with-fellow-members",
                subject=ctx.actor(cs, m.start()),
                status="granted",
                when=ctx.when(m.start(), "granted"),
            )


def _org_prefix(text: str) -> str:
    """The longest start of `text` that names an institution."""
    for end in range(len(text), 3, -1):
        head = text[:end]
        if re.search(r"[、在等]", head):
            continue  # a phrase, not a name (省医在胸痛、卒中等中心)
        if is_org(head) or is_alliance(head):
            return head
    return ""


def managed(ctx: Context) -> None:
    """[正式]托管X: the subject manages hospital X (role 托管)."""
    doc, v = ctx.doc, vocab()
    flat = doc.flat
    for m in v.alt("ties.manage_verbs").finditer(flat):
        cs, ce = doc.clause(m.start())
        run = re.match(r"[\u4e00-\u9fffA-Za-z0-9]+", flat[m.end() : ce])
        if not run:
            continue
        org = _org_prefix(run.group())
        if not org or not is_hospital(org):
            continue
        if cues.blocked(flat[cs : m.start()], "", "", flat[slice(*doc.sentence(m.start()))]):
            continue
        actor = ctx.actor(cs, m.start())
        if ctx.resolve(org) == actor:
            continue
        ctx.emit(
            "partnership",
            ctx.resolve(org),
            (cs, m.end() + len(org)),
            "manage",
            subject=actor,
            role=v.text("ties.manage_role"),
            status="granted",
            when=ctx.when(m.start(), "granted"),
        )


def referred_roles(ctx: Context) -> None:
    """成为该校教学医院 / 成为该院…协作医院 / 成为X教学医院: the school or hospital
    named just before (经X批准, 与X签署…)."""
    doc, _v = ctx.doc, vocab()
    flat = doc.flat
    role_re = _roles()
    pattern = re.compile(
        rf"(?:成为|被吸纳为|吸纳为|被纳入为|纳入为|被确定为|确定为|被列为|列为)"
        rf"(该校|该院|该中心|该联盟|其)?([^，。；“”]{{0,20}}?)({role_re.pattern})"
    )
    for m in pattern.finditer(flat):
        cs, _ = doc.clause(m.start())
        ss, se = doc.sentence(m.start())
        if cues.blocked(flat[cs : m.start()], "", "", flat[ss:se]):
            continue
        role = m.group(3)
        if m.group(1):
            org = _referent(ctx, m.group(1), ss, m.start())
        else:
            org = _org_prefix(m.group(2)) if m.group(2) else ""
        if not org or ctx.is_self(org):
            continue
        ctx.emit(
            _kind(role),
            ctx.resolve(org),
            (m.start(), m.end()),
            "referred-role",
            subject=ctx.actor(cs, m.start()),
            role=role,
            status="granted",
            when=ctx.when(m.start(), "granted"),
        )


def _referent(ctx: Context, word: str, start: int, end: int) -> str:
    """The institution 该校 / 该院 / 该中心 points back to within the sentence."""
    flat = ctx.doc.flat
    wanted = {
        "该校": ("大学", "学院"),
        "该院": ("医院", "保健院"),
        "该中心": ("中心",),
        "该联盟": ("联盟", "医联体"),
        "其": ("医院", "保健院", "大学", "学院", "中心"),
    }[word]
    found = ""
    for m in re.finditer("|".join(wanted), flat[start:end]):
        s = name_start(flat, start + m.end(), start, min_len=len(m.group()))
        name = ctx.doc.name(s, start + m.end())
        if is_org(name) and not ctx.is_self(name):
            found = name
    return found


def hosts_and_joint_programmes(ctx: Context) -> None:
    """依托X，…开设 (X hosts it) and 联合X举办 (a joint programme)."""
    doc, v = ctx.doc, vocab()
    flat = doc.flat
    hosts = re.compile(
        rf"(?:{v.alt('ties.host_verbs').pattern})([^，。；“”]{{4,30}})，[^。；]{{0,20}}?(?:开设|成立|建立|设立)"
    )
    for m in hosts.finditer(flat):
        _partner(ctx, m, "host", v.text("ties.host_role"))
    joint = re.compile(
        rf"(?:{v.alt('ties.joint_verbs').pattern})([^，。；“”]{{4,30}}?)({v.alt('ties.joint_nouns').pattern})"
    )
    for m in joint.finditer(flat):
        _partner(ctx, m, "joint-programme", v.text("ties.joint_role_prefix") + m.group(2))


def _partner(ctx: Context, m: re.Match[str], rule: str, role: str) -> None:
    """The institution a pattern's first group names, as a partner of the clause's hospital."""
    org = m.group(1)
    if is_org(org) and not ctx.is_self(org) and not is_government(org):
        cs, _ = ctx.doc.clause(m.start())
        ctx.emit(
            "partnership",
            org,
            (m.start(), m.end()),
            rule,
            subject=ctx.actor(cs, m.start()),
            role=role,
            status="granted",
            when=ctx.when(m.start(), "granted"),
        )
