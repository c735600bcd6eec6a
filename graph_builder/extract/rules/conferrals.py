"""Conferrals: grades, designations, key labs and honours a hospital holds.

Reports state them as list items, as quoted titles after a verb (获批“…”, 入选第三批“…”,
“…”荣获全国首批), as unquoted names with a level or place in front (申报国家级…特色专科,
建有X市…重点实验室), as counted lists (省级重点专科3个（产科、…）), as announcements
(X公布…名单，医院名列其中) and in tribute boxes (致敬：医院 / title / issuer / date).
"""

from __future__ import annotations

import re

from graph_builder.extract import cues
from graph_builder.extract.context import Context
from graph_builder.extract.dates import When
from graph_builder.extract.names import (
    batch_in,
    clean_object,
    explicit_level,
    is_hospital,
    is_org,
    issuer_level,
    name_level,
    name_start,
    partner_in,
    place_at,
)
from graph_builder.extract.titles import (
    continuation,
    designation_kind,
    has_designation_suffix,
    read_prefix,
    read_title,
    split_top,
    unit_of,
)
from graph_builder.extract.vocab import vocab

#: Verbs that can govern a quoted or named designation.
GOVERNING = ("verbs.granted", "verbs.applied", "verbs.planned", "verbs.in_preparation")
ESTABLISH = re.compile(r"设立|建立|成立")
CO_BRAND = re.compile(r"合作共建|共建|挂牌|揭牌|授牌")
#: What follows a quoted name that is a plaque: [在<host>][同步…]揭牌/挂牌/授牌.
PLAQUE_AFTER = re.compile(
    r"(?:在(?P<host>[^，。；“”]{2,30}?))?(?:同步|同时|正式|隆重|共同)?(?P<verb>揭牌|挂牌|授牌)"
)
#: X授予医院“…”: a body confers a title on the hospital (active voice).
ACTIVE_GRANT = re.compile(r"^([^，。；]{2,30}?)(?:授予|命名|认定)([^，。；]{1,20}?)$")
#: A date or section number before a clause's first word.
LEAD_TIME = re.compile(r"^[^，。；]*?[0-9]{1,2}月，|^[（(][一二三四五六七八九十0-9]{1,3}[)）]")
PASSIVE = re.compile(r"被([^，。；]{2,30}?)(?:命名为|评为|授予|确定为|认定为|列为|批准为)$")
STRONG_VERBS = re.compile(
    r"获批|获得|取得|荣获|获评|入选|被评为|被授予|被认定为|被确定为|被命名为|通过"
)


def list_items(ctx: Context) -> None:
    """Each bullet item that reads as a title (- 全国首批“…基地”, - X大学教学医院)."""
    for line in ctx.doc.lines:
        if not line.title or line.end - line.body > 80:
            continue
        when = ctx.when(line.body, "granted")
        if read_title(ctx, line.body, line.end, "list-item", when=when).count:
            continue
        body = ctx.doc.flat[line.body : line.end]
        for s, e in split_top(body):
            read_title(ctx, line.body + s, line.body + e, "list-item", when=when)


def tribute_boxes(ctx: Context) -> None:
    """致敬：<hospital> / [year] <title> / <issuer> / <date>: an honour from the issuer."""
    doc, v = ctx.doc, vocab()
    words = v.alt("layout.tribute")
    for i, line in enumerate(doc.lines):
        head = doc.flat[line.body : line.end]
        if not words.match(head) or i + 1 >= len(doc.lines):
            continue
        title = doc.lines[i + 1]
        rest = doc.lines[i + 2 : i + 4]
        issuer = next(
            (
                doc.flat[r.start : r.end].strip()
                for r in rest
                if is_org(doc.flat[r.start : r.end].strip())
            ),
            "",
        )
        when = next((w for r in [title, *rest] if (w := ctx.timeline.in_sentence(r.start))), None)
        text = doc.flat[title.start : title.end]
        m = re.match(r"(?:19|20)[0-9]{2}年度?", text)
        start = title.start + (m.end() if m else 0)
        name = doc.flat[start : title.end].strip()
        if not has_designation_suffix(name) and not issuer:
            continue
        level = explicit_level(name[:3]) or issuer_level(issuer) or name_level(name)
        obj = clean_object(name)
        last = rest[-1] if rest else title
        ctx.emit(
            designation_kind(obj, honour=True),
            obj,
            (line.body, last.end),
            "tribute-box",
            level=level,
            status="granted",
            when=when,
            extra={"issuer": issuer} if issuer else None,
        )


def _governing(pre: str, min_gap: int = 0) -> re.Match[str] | None:
    """The last verb in `pre` that can govern a designation and leaves at least
    `min_gap` characters of name after it (筹备资质: 筹备 is part of the name)."""
    v = vocab()
    found = [*v.alt(*GOVERNING).finditer(pre), *CO_BRAND.finditer(pre)]
    found = [m for m in found if len(pre) - m.end() >= min_gap]
    return max(found, key=lambda m: (m.end(), len(m.group())), default=None)


#: What may stand between two titles of one run: list marks, then the next title's own
#: level or place words (全国“A”；某省“B”).
RUN_GAP = re.compile(r"[、和与及；;\s]*(?P<prefix>[^，。、；;：:“”\s]{0,8})")


def _with_run_starts(
    flat: str, quotes: list[re.Match[str]]
) -> list[tuple[re.Match[str], int, str | None]]:
    """Each quote with the start of its run of titles (“A”“B”、“C” share one context) and,
    for a later title of a run, the level or place words written before it alone."""
    out: list[tuple[re.Match[str], int, str | None]] = []
    for i, q in enumerate(quotes):
        first, own = q.start(), None
        gap = flat[quotes[i - 1].end() : q.start()] if i else ""
        m = RUN_GAP.fullmatch(gap) if i else None
        if m and (not m.group("prefix") or _only_level_words(m.group("prefix"))):
            first, own = out[-1][1], m.group("prefix")
        out.append((q, first, own))
    return out


def _only_level_words(words: str) -> bool:
    """Whether `words` are a level, batch or place prefix and nothing else."""
    level, _, batch, issuer = read_prefix(words)
    return bool(level or batch) and not issuer and len(words) <= 8


def quoted_titles(ctx: Context) -> None:
    """“Title” governed by a verb before it (获批/入选/申报/挂牌 …) or after it (荣获)."""
    doc = ctx.doc
    for q, first, own in _with_run_starts(doc.flat, doc.quoted(0, len(doc.flat))):
        if not doc.in_item(q.start()):
            _quoted_title(ctx, q, first, own)


def _quoted_title(ctx: Context, q: re.Match[str], first: int, own: str | None = None) -> None:
    doc, v = ctx.doc, vocab()
    flat = doc.flat
    cs, ce = doc.clause(first)
    if ce < q.end():  # a run that goes on past a semicolon
        ce = doc.clause(q.start())[1]
    ss, se = doc.sentence(q.start())
    pre, after = flat[cs:first], flat[q.end() : ce]
    tail_end = _run_end(flat, q.end(), ce)
    content = q.group(1)
    name = content + continuation(flat[q.end() : tail_end])
    if cues.blocked(pre, name, after, flat[ss:se]):
        return
    verb = _governing(pre)
    after_verb = v.alt("verbs.granted").match(after.lstrip("”"))
    plaque = PLAQUE_AFTER.match(after)
    co_brand = (verb is not None and CO_BRAND.fullmatch(verb.group())) or plaque
    if co_brand and _co_branding(ctx, q, pre, cs, plaque):
        return
    prefix = pre[verb.end() :] if verb else ""
    if (verb is None and after_verb is None) or len(prefix) > 30 or re.search(r"[，。；]", prefix):
        return
    if own:  # a later title of a run with its own level words
        prefix = own
    if v.ends_with(content, "ties.alliance_roles") or v.ends_with(
        content, "ties.partnership_roles"
    ):
        when = ctx.when(q.start(), "granted")
        subject = ctx.actor(cs, first)
        read_title(ctx, q.start() + 1, q.end() - 1, "quoted-title", subject=subject, when=when)
        return
    honour = _in_run_of_titles(flat, q.end(), se)
    if not (has_designation_suffix(name) or honour or _conferred_title(verb, prefix, name)):
        return
    if verb and ESTABLISH.search(verb.group()) and not name_level(name):
        return
    level, source, batch, issuer = read_prefix(prefix)
    by = PASSIVE.search(pre[: verb.end()]) if verb else None
    if by and not issuer and is_org(by.group(1)):  # 被X命名为“…”
        issuer = by.group(1)
        level, source = level or issuer_level(issuer), source or "issuer"
    grant = ACTIVE_GRANT.search(LEAD_TIME.sub("", pre)) if verb else None
    conferred_on = ""
    if grant and is_org(grant.group(1)) and ctx.is_self(grant.group(2)):  # X授予医院“…”
        issuer, conferred_on = grant.group(1), ctx.subject
        level, source = level or issuer_level(issuer), source or "issuer"
    if after_verb and not verb:  # “…”荣获全国首批
        tail = after.lstrip("”")[after_verb.end() :]
        level, batch = level or explicit_level(tail[:4]), batch or batch_in(tail[:6])
        source = source or ("word" if level else "")
    state = cues.status(pre, after)
    extra: dict[str, object] = {"level_from": source or ("name" if name_level(name) else "")}
    if issuer:
        extra["issuer"] = issuer
    if unit := unit_of(name):
        extra["unit"] = unit
    obj = clean_object(name, quoted=True)
    subject = conferred_on or _established_at(ctx, pre) or ctx.actor(cs, first)
    years = ctx.timeline.years_listed(cs, first)
    whens = [When(y) for y in years] if len(years) >= 2 else [ctx.when(q.start(), state)]
    for when in whens:
        ctx.emit(
            designation_kind(obj, honour),
            obj,
            (first, tail_end),
            "quoted-title",
            subject=subject,
            level=level or name_level(name),
            batch=batch or batch_in(content),
            status=state,
            when=when,
            extra=extra,
        )


#: Verbs by which a body confers a title, with the body before them (X确定为“…”).
CONFER = re.compile(r"确定为|认定为|评为|授予|命名为|列为|批准为|成功创建")


def _conferred_title(verb: re.Match[str] | None, prefix: str, name: str) -> bool:
    """A quoted title with no known ending still names a conferral when a strong verb
    governs it (入选, 确定为, 授予 ...) and a level, batch or issuer anchors it
    (入选国家首批“…定点救治医院”, 被X确定为“X市…哨点医院”)."""
    if verb is None or not (STRONG_VERBS.fullmatch(verb.group()) or CONFER.fullmatch(verb.group())):
        return False
    if vocab().ends_with(name, "designations.person_title_suffixes"):
        return False  # a title a person holds (优秀医师, 双带头人)
    level, _, batch, issuer = read_prefix(prefix)
    return bool(level or batch or issuer or name_level(name))


def _run_end(flat: str, pos: int, limit: int) -> int:
    """Where a name run that starts at `pos` ends (the next delimiter)."""
    m = re.compile(r"[，。；：、“”\s（(]").search(flat, pos, limit)
    return m.start() if m else limit


def _in_run_of_titles(flat: str, start: int, end: int) -> bool:
    """Whether only further titles and 等…荣誉称号 follow (“A”“B”等荣誉称号): honours."""
    rest = re.sub(r"“[^“”]*”", "", flat[start:end])
    return bool(re.match(r"[、和与及\s]*等?[^，。“”]{0,8}?(?:荣誉称号|称号|荣誉)", rest))


def _established_at(ctx: Context, pre: str) -> str:
    """在<hospital>设立“…”: the hospital where it is set up."""
    m = re.search(r"在([\u4e00-\u9fff]{4,30}?)(?:设立|建立|设置)", pre)
    if m and is_org(m.group(1)):
        return ctx.resolve(m.group(1))
    return ""


def _co_branding(
    ctx: Context, q: re.Match[str], pre: str, cs: int, plaque: re.Match[str] | None
) -> bool:
    """挂牌/揭牌/与X合作共建 “name”: a co-branded name when a partner is in it (or named
    by 与X), else a designation plaque (left to the caller)."""
    name = q.group(1)
    known = dict(ctx.abbreviations)
    partner = ""
    with_x = re.search(r"(?:与|携手|联合)([^，。；]{3,40}?)(?:（[^）]*）)?(?:合作)?共建$", pre)
    if with_x:
        start = cs + with_x.start(1)
        partner = ctx.resolve(ctx.doc.name(start, cs + with_x.end(1)))
        if not pre.endswith("合作共建") and partner not in name:
            return False  # 与X共建“…”: co-branded only if the name carries X's
    partner = partner or partner_in(name, known)
    if not partner:
        return False
    partner = ctx.resolve(partner)
    subject = ctx.actor(cs, cs + len(pre)) if not with_x else ctx.subject
    host = plaque.group("host") if plaque and plaque.group("verb") != "授牌" else None
    if host and is_hospital(host):  # “…”在<hospital>挂牌: hung there
        subject = ctx.resolve(host)
    if partner == subject:
        return False
    ctx.emit(
        "co-branding",
        name,
        (q.start(), q.end()),
        "co-branding",
        subject=subject,
        role=vocab().text("ties.co_brand_role"),
        status="granted",
        when=ctx.when(q.start(), "granted"),
        extra={"partner": partner},
    )
    return True


def narrative_names(ctx: Context) -> None:
    """Unquoted names in prose after a verb: 申报国家级…特色专科, 建有X市…重点实验室,
    获X省…进步奖二等奖. Without a level or place in front, only a strong verb and a
    strong ending will do (获批开展…资质)."""
    doc, v = ctx.doc, vocab()
    flat = doc.flat
    suffixes = v.alt("designations.narrative_suffixes")
    for m in suffixes.finditer(flat):
        end = m.end()
        if ctx.doc.in_item(m.start()) or _inside_quotes(flat, m.start()):
            continue
        if not _name_ends(flat, end) or v.regex("designations.count_regex").match(flat, end):
            continue  # a name that goes on, or a counted list (count_lists reads it)
        cs, ce = doc.clause(m.start())
        pre_all = flat[cs : m.start()]
        verb = _governing(pre_all, min_gap=2) or _last(v.alt("verbs.copula"), pre_all)
        if verb is None and flat[cs - 1 : cs] in LIST_MARKS:
            # an item after a semicolon: the verb that opened the list governs it
            ss = doc.sentence(m.start())[0]
            verb = _governing(flat[ss:cs], min_gap=2)
            if verb is None or _opens_other_clause(flat[ss + verb.end() : cs]):
                continue
            cs, pre_all = ss, flat[ss : m.start()]
        if verb is None:
            continue
        name_from = cs + verb.end()
        name = flat[name_from:end]
        cut = max(name.rfind(mark) for mark in LIST_MARKS)
        if cut >= 0:  # a later item of a list the verb opened (获A、B、C)
            name_from, name = name_from + cut + 1, name[cut + 1 :]
        name = re.sub(r"^(?:开展|建设|设立|设置)", "", name)
        unit = re.match(r"[（(]([^（）()]{1,12})[)）]", flat[end:])
        if unit and not DEPARTMENT.search(unit.group(1)):
            unit = None  # a remark in brackets (排名不分先后), not a department
        prefix_words = _prefix_words(name)
        if batch_in(prefix_words) and place_at(prefix_words)[1]:
            name_from, name = name_from + len(prefix_words), name[len(prefix_words) :]
        full = name + (unit.group() if unit else "")
        if (
            not name
            or re.search(r"[，。；、“”]|的|[（(][^）)]*$|[0-9]+[项个家所]", name)
            or len(name) > 40
        ):
            continue
        level, source, batch, issuer = read_prefix(prefix_words or _prefix_words(name))
        anchored = level or issuer or name_level(clean_object(name))
        strong = STRONG_VERBS.fullmatch(verb.group()) and len(name) - len(m.group()) >= 3
        if not anchored and not strong:
            continue
        after = flat[end + (len(unit.group()) if unit else 0) : ce]
        if cues.blocked(pre_all[: verb.start()], name, after, flat[slice(*doc.sentence(end))]):
            continue
        if cues.internal(verb.group()):
            continue
        obj = clean_object(full)
        obj = re.sub(v.text("designations.prize_regex") + "$", "", obj)
        state = cues.status(flat[cs:name_from], after)
        extra: dict[str, object] = {"level_from": source or ("name" if name_level(obj) else "")}
        if issuer:
            extra["issuer"] = issuer
        if u := unit_of(obj):
            extra["unit"] = u
        ctx.emit(
            designation_kind(obj),
            obj,
            (name_from, end),
            "named-designation",
            subject=ctx.actor(cs, cs + verb.start()),
            level=level or name_level(obj),
            batch=batch,
            status=state,
            when=ctx.when(m.start(), state),
            extra=extra,
        )


#: A bracket after a name that names a department (its unit).
DEPARTMENT = re.compile(r"(?:科|部|中心|室|病区|组)$")
#: Marks between the items of a list a verb governs.
LIST_MARKS = ("、", "；", ";")


def _opens_other_clause(between: str) -> bool:
    """Whether text between a list's verb and a later item holds a full stop or a comma
    (then the item belongs to another clause)."""
    return bool(re.search(r"[，,。：:]", between))


def _name_ends(flat: str, end: int) -> bool:
    """Whether a name can end at `end`: punctuation follows, or a bracketed unit, a
    prize or count, or a word that follows names (等, 名单, 评审 ...)."""
    rest = flat[end : end + 8]
    if not rest or not re.match(r"[\u4e00-\u9fffA-Za-z0-9]", rest):
        return True
    if re.match(vocab().text("designations.prize_regex"), rest):
        return True
    return bool(
        re.match(
            r"[0-9一二两三四五六七八九十]+(?:个|项|家|所)|等|和|及|与|的|称号|荣誉|名单|评审|建设(?!项目|单位)|申报|获批|认证|并|后|之一",
            rest,
        )
    )


def _prefix_words(name: str) -> str:
    """The level and batch words at the start of an unquoted name (国家级, 第三批), or a
    place and a batch (X省第二批: the place is the level's, not the name's)."""
    m = re.match(r"(?:全国|国家级|省级|市级|首批|第[一二三四五六七八九十0-9]+批)+", name)
    if m:
        return m.group()
    _, end = place_at(name)
    batch = re.match(r"首批|第[一二三四五六七八九十0-9]+批", name[end:]) if end else None
    return name[: end + batch.end()] if batch else ""


def _last(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    last = None
    for m in pattern.finditer(text):
        last = m
    return last


def _inside_quotes(flat: str, pos: int) -> bool:
    line_start = flat.rfind("\n", 0, pos) + 1
    before = flat[line_start:pos]
    return before.count("“") > before.count("”")


def count_lists(ctx: Context) -> None:
    """<name><count>个（A、B、C）: one designation per unit, or per named item when the
    items are names themselves (平台2项（X重点实验室，Y中心）)."""
    doc, v = ctx.doc, vocab()
    flat = doc.flat
    for m in v.regex("designations.count_regex").finditer(flat):
        start = name_start(flat, m.start(), max(0, m.start() - 40))
        start = max(start, doc.clause(m.start())[0])
        category = re.sub(
            r"^(?:医院|该院|本院|我院|全院)?(?:现有|拥有|建有|创建|获批|共有|有)",
            "",
            flat[start : m.start()],
        )
        if not category or not has_designation_suffix(category) or cues.research(category):
            continue
        cs, _ = doc.clause(m.start())
        verb_pre = flat[cs : m.start()]
        if cues.blocked(verb_pre, category, "", flat[slice(*doc.sentence(m.start()))]):
            continue
        items = [i.strip() for i in re.split(r"[、，,；]", m.group(2)) if i.strip()]
        level_word = explicit_level(category[:4])
        cat_level = level_word or name_level(category)
        state = cues.status(verb_pre)
        when = ctx.when(m.start(), state)
        named = all(v.ends_with(i, "designations.item_name_suffixes") for i in items)
        for item in items:
            if named:
                obj = clean_object(item)
                level = level_word or name_level(obj) or cat_level
                source = "word" if level_word else "name"
                ctx.emit(
                    designation_kind(obj),
                    obj,
                    (start, m.end()),
                    "count-list:item",
                    level=level,
                    status=state,
                    when=when,
                    extra={"level_from": source},
                )
            else:
                obj = clean_object(category)
                ctx.emit(
                    designation_kind(obj),
                    obj,
                    (start, m.end()),
                    "count-list:unit",
                    level=cat_level,
                    status=state,
                    when=when,
                    extra={"unit": item, "level_from": "word" if level_word else "name"},
                )


def announcements(ctx: Context) -> None:
    """X公布[第N批]<designation>名单，医院[成功]入选 / 名列其中."""
    doc, v = ctx.doc, vocab()
    flat = doc.flat
    pattern = re.compile(rf"(?:{v.alt('verbs.announce').pattern})([^，。；“”]{{2,40}}?)名单")
    for m in pattern.finditer(flat):
        _ss, se = doc.sentence(m.start())
        if not v.alt("verbs.announce_joined").search(flat, m.end(), se):
            continue
        issuer_start = name_start(flat, m.start(), doc.clause(m.start())[0])
        issuer = doc.name(issuer_start, m.start())
        name = m.group(1)
        level, source, batch, _ = read_prefix(_prefix_words(name))
        level = level or issuer_level(issuer) or name_level(clean_object(name))
        obj = clean_object(name)
        if not has_designation_suffix(obj):
            continue
        ctx.emit(
            designation_kind(obj),
            obj,
            (m.start(), se),
            "announcement",
            level=level,
            batch=batch,
            status="granted",
            when=ctx.when(m.start(), "granted"),
            extra={"issuer": issuer, "level_from": source or ("issuer" if level else "")},
        )


def grade_mentions(ctx: Context) -> None:
    """A grade in prose: 通过X级X等…评审, 是一所…的X级X等…院, 晋升为…."""
    doc, v = ctx.doc, vocab()
    flat = doc.flat
    passed = v.alt("verbs.passed", "verbs.copula", "verbs.granted")
    for m in v.regex("designations.grade_regex").finditer(flat):
        if ctx.doc.in_item(m.start()):
            continue
        cs, _ = doc.clause(m.start())
        pre = flat[cs : m.start()]
        verb = _last(passed, pre)
        if verb is None or cues.blocked(pre, m.group(), flat[m.end() : m.end() + 6], pre):
            continue
        if re.search(r"以上|以下|等级医院", flat[m.end() : m.end() + 8]):
            continue
        ctx.emit(
            "grade",
            m.group(),
            (m.start(), m.end()),
            "grade-mention",
            subject=ctx.actor(cs, cs + verb.start()),
            status="granted",
            when=ctx.when(m.start(), "granted"),
        )


#: 依托X设立Y: Y is set up at X (a notice's quality-control centres, bases).
HOSTED = re.compile(
    r"依托([^，。；、“”]{3,30}?)(?:设立|成立|建设|组建)“?([^，。；、“”]{3,40}?)”?(?=[，。；\n]|$)"
)


def hosted_designations(ctx: Context) -> None:
    """依托<hospital>设立<centre>: a designation of the hospital that hosts it."""
    doc = ctx.doc
    flat = doc.flat
    for m in HOSTED.finditer(flat):
        host, name = m.group(1), m.group(2)
        if not is_hospital(host) or not has_designation_suffix(name):
            continue
        ss, se = doc.sentence(m.start())
        if cues.blocked("", name, "", flat[ss:se]):
            continue
        level = name_level(name)
        ctx.emit(
            designation_kind(name),
            name,
            (m.start(), m.end()),
            "hosted",
            subject=ctx.resolve(host),
            level=level,
            status="granted",
            when=ctx.when(m.start(), "granted"),
            extra={"level_from": "name" if level else ""},
        )


#: 确定A、B为<designation>: a body names the hospitals it confers a title on.
NAMED_RECIPIENTS = re.compile(
    r"(?:确定|认定|命名|遴选|评定|批准)([^，。；“”]{4,200}?)为([^，。；]{3,50}?)(?=[，。；\n]|$)"
)
#: A count where names would be (5家医院, 两所医院).
COUNT_HEAD = re.compile(r"[0-9一二三四五六七八九十两几多]+(?:家|个|所)")


#: The count a list of names may end with (等6家医疗机构).
COUNTED_REST = re.compile(r"等[0-9一二三四五六七八九十两]+(?:家|个|所)[\u4e00-\u9fff]{0,6}$")
#: A、B被确定为<designation>: the same list, passive.
PASSIVE_RECIPIENTS = re.compile(
    r"(?:^|[，。；：\n])([^，。；：“”\n]{4,200}?)被(?:确定|认定|命名|评定|批准)为“?"
    r"([^，。；“”]{3,40}?)”?(?=[，。；\n]|$)"
)


def named_recipients(ctx: Context) -> None:
    """确定A、B为[全市第三批]<designation>: each hospital listed holds it."""
    doc = ctx.doc
    flat = doc.flat
    for m in [*NAMED_RECIPIENTS.finditer(flat), *PASSIVE_RECIPIENTS.finditer(flat)]:
        listed = COUNTED_REST.sub("", m.group(1))  # A、B等6家医院: A and B
        names = [part.strip() for part in re.split(r"[、和及与]", listed)]
        if not names or not all(is_hospital(n) and not COUNT_HEAD.match(n) for n in names):
            continue  # 另确定5家医院为…: a count, not names
        obj, level, source, batch = _title_parts(m.group(2))
        sentence = flat[slice(*doc.sentence(m.start()))]
        if not obj or not has_designation_suffix(obj) or cues.blocked("", obj, "", sentence):
            continue
        for name in names:
            ctx.emit(
                designation_kind(obj),
                obj,
                (m.start(), m.end()),
                "named-recipients",
                subject=ctx.resolve(name),
                level=level,
                batch=batch,
                status="granted",
                when=ctx.when(m.start(), "granted"),
                extra={"level_from": source or ("name" if level else "")},
            )


#: The level of the body a 全市 / 全省 / 全国 list is drawn up by.
SCOPE_LEVELS = {
    "全市": "municipal",
    "全县": "",
    "全区": "",
    "全省": "provincial",
    "全国": "national",
}


def _scope_words(title: str) -> str:
    """全市 / 全省 ... at the start of a title: the level of the body that confers it."""
    m = re.match(r"全市|全省|全县|全区|全国", title)
    return m.group() if m else ""


#: A notice's list head: 拟命名以下4家医疗机构为X市第二批“…”： (the items on the next lines).
LIST_HEAD = re.compile(
    r"(?:命名|确定|认定|遴选|评定|公布|批准)以下[^，。；：\n为]{0,20}为"
    r"(?P<title>[^，。；：\n]{3,60}?)(?:[（(][^）)\n]*[）)])?[：:][ \t]*$",
    re.M,
)
#: 共确定<designation>20个，名单节选如下： (the items on the next lines)
COUNTED_LIST_HEAD = re.compile(
    r"(?:确定|公布|命名|认定)(?P<title>[^，。；：\n]{3,60}?)[0-9一二三四五六七八九十百]+(?:个|家|项|所)"
    r"[，,]?[ \t]*名单(?:节选)?如下[：:][ \t]*$",
    re.M,
)
#: An item of such a list, numbered (1. / 1、 / （一） / 一、) or not.
NUMBER = r"[0-9]{1,3}[.、．]|[（(][一二三四五六七八九十0-9]{1,3}[)）]|[一二三四五六七八九十]{1,3}、"
ITEM = re.compile(rf"^[ \t]*(?:{NUMBER})?[ \t]*(?P<body>[^\n]+?)[；;。]?[ \t]*$")


def numbered_recipients(ctx: Context) -> None:
    """A notice naming hospitals in a numbered list under one title:
    `拟命名以下4家医疗机构为X市第二批“…”：` then `1. A医院`, or, for specialties,
    `1. A医院：儿童眼保健科、产后康复科；` (a designation of each department)."""
    doc = ctx.doc
    flat = doc.flat
    for head in [*LIST_HEAD.finditer(flat), *COUNTED_LIST_HEAD.finditer(flat)]:
        obj, level, source, batch = _title_parts(head.group("title"))
        if not obj or not has_designation_suffix(obj):
            continue
        ss = doc.sentence(head.start())[0]
        state = cues.status(flat[ss : head.start()])
        pos = head.end() + 1
        for line in flat[pos:].split("\n"):
            start, pos = pos, pos + len(line) + 1
            if not line.strip():
                continue
            item = ITEM.match(line)
            if item is None:
                break
            body = item.group("body")
            name, _, units = body.partition("：") if "：" in body else body.partition(":")
            name = name.strip()
            if not is_hospital(name):
                break
            where = (start + item.start("body"), start + item.end("body"))
            extra_base = {"level_from": source or ("name" if level else "")}
            for unit in [u.strip() for u in re.split(r"[、，,]", units) if u.strip()] or [""]:
                extra = dict(extra_base, **({"unit": unit} if unit else {}))
                ctx.emit(
                    designation_kind(obj),
                    obj,
                    where,
                    "numbered-recipients",
                    subject=ctx.resolve(name),
                    level=level,
                    batch=batch,
                    status=state,
                    when=ctx.when(head.start(), state),
                    extra=extra,
                )


def _title_parts(title: str) -> tuple[str, str, str, str]:
    """A listed title without its level, place and batch words: name, level, its source,
    batch (X市第二批“儿童友好医院” -> 儿童友好医院, municipal, place, 第二批)."""
    bare = title.replace("“", "").replace("”", "")
    scope = _scope_words(bare)
    bare = bare[len(scope) :]
    prefix = _prefix_words(bare)
    level, source, batch, _ = read_prefix(prefix)
    if not level and scope:
        level, source = SCOPE_LEVELS[scope], "word"
    obj = clean_object(bare[len(prefix) :])
    return obj, level or name_level(obj), source, batch
