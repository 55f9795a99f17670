//! Finding values still to fill in: `[Name]`, `<GENERATED>`, `+1-XXX-XXX-XXXX`, `____`,
//! `your-api-key`, `{{version}}`, `TBD`, `YYYY-MM-DD`.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::PlaceholderKind;

/// A date to write, with a time (`YYYY-MM-DD HH:MM`) or not, or a range of two
/// (`YYYY-MM-DD to YYYY-MM-DD`).
const DATES: &str =
    r"\b(?:YYYY[-/.]MM[-/.]DD|MM[-/.]DD[-/.]YYYY|DD[-/.]MM[-/.]YYYY)(?:[ T]HH:MM(?::SS)?)?\b";

static PATTERNS: LazyLock<Vec<(PlaceholderKind, Regex)>> = LazyLock::new(|| {
    let unknown =
        format!(r"\bTB[DC]\b|\?{{3,}}|{DATES}(?:\s*(?:to|until|bis|-|–|—)\s*{DATES})?|\bHH:MM\b");
    [
        (PlaceholderKind::Angle, r"<[A-Za-z][A-Za-z0-9_.:/ -]{0,48}>"),
        (
            PlaceholderKind::Bracket,
            r"\[\p{L}[\p{L}\p{M}\p{N} _./&#:%'’—–-]{1,48}\]",
        ),
        (
            PlaceholderKind::Masked,
            r"\+?(?:\d{1,4}[-. ]){0,3}\bX{2,}\b(?:[-. ]X{2,}\b)*",
        ),
        (PlaceholderKind::Blank, r"_{3,}"),
        (
            PlaceholderKind::Example,
            r"(?i)\byour[-_][a-z0-9][a-z0-9_.-]*|\bchange[-_]?(?:me|this)\b",
        ),
        (PlaceholderKind::Template, r"\{\{[^{}\n]{1,60}\}\}"),
        (PlaceholderKind::Unknown, unknown.as_str()),
    ]
    .into_iter()
    .map(|(kind, pattern)| {
        (
            kind,
            Regex::new(pattern).unwrap_or_else(|e| unreachable!("{e}")),
        )
    })
    .collect()
});

/// Placeholders in `text`: kind and byte range, in order of position.
#[must_use]
pub fn find(text: &str) -> Vec<(PlaceholderKind, std::ops::Range<usize>)> {
    if !might_hold_placeholder(text) {
        return Vec::new();
    }
    let closed = closing_tags(text);
    let mut found: Vec<_> = PATTERNS
        .iter()
        .flat_map(|(kind, re)| re.find_iter(text).map(move |m| (*kind, m.range())))
        .filter(|(kind, range)| !is_link_text(text, *kind, range))
        .filter(|(kind, range)| *kind != PlaceholderKind::Bracket || is_blank_to_fill(text, range))
        .filter(|(kind, range)| *kind != PlaceholderKind::Angle || !is_markup(text, range, &closed))
        .filter(|(kind, range)| *kind != PlaceholderKind::Unknown || is_value(text, range))
        .filter(|(kind, range)| {
            *kind != PlaceholderKind::Template || is_template_value(text, range)
        })
        .collect();
    found.sort_by_key(|(_, r)| (r.start, std::cmp::Reverse(r.end)));
    found.dedup_by(|b, a| b.1.start < a.1.end);
    found
}

/// A cheap test that rules out most text before any regex runs: one pass over the bytes for
/// the first characters of every pattern.
fn might_hold_placeholder(text: &str) -> bool {
    let bytes = text.as_bytes();
    let at = |i: usize, s: &[u8]| bytes.get(i..i + s.len()).is_some_and(|w| w == s);
    let at_any_case = |i: usize, s: &[u8]| {
        bytes
            .get(i..i + s.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(s))
    };
    (0..bytes.len()).any(|i| match bytes[i] {
        b'<' | b'[' => true,
        b'X' => at(i, b"XX"),
        b'{' => at(i, b"{{"),
        b'?' => at(i, b"???"),
        b'T' => at(i, b"TB"),
        b'Y' => at(i, b"YYYY") || at_any_case(i, b"your"),
        b'y' => at_any_case(i, b"your"),
        b'H' => at(i, b"HH:MM"),
        b'_' => at(i, b"___"),
        b'c' | b'C' => at_any_case(i, b"chan"),
        _ => false,
    })
}

/// HTML shown as text is not a placeholder: an element closed later in the text
/// (`<script>…</script>`; `closed` maps each closing tag's name to where its last one is) or
/// one that never has content (`<input>`, `<br>`).
fn is_markup(text: &str, range: &std::ops::Range<usize>, closed: &HashMap<String, usize>) -> bool {
    let tag = &text[range.start + 1..range.end - 1];
    let name = tag
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    (name.len() == tag.len() && super::VOID_ELEMENTS.contains(&name.as_str()))
        || closed.get(&name).is_some_and(|&at| at >= range.end)
}

/// The names of the closing tags (`</name>`) in `text`, lower-cased, with the offset of the
/// last one of each.
fn closing_tags(text: &str) -> HashMap<String, usize> {
    let mut closed = HashMap::new();
    for at in memchr::memmem::find_iter(text.as_bytes(), b"</") {
        let rest = &text[at + 2..];
        let len = rest.bytes().take_while(u8::is_ascii_alphanumeric).count();
        if len > 0 && rest[len..].starts_with('>') {
            closed.insert(rest[..len].to_ascii_lowercase(), at);
        }
    }
    closed
}

/// Words that name a value to write in: `[Name]`, `[Release Manager]`, `[Ticket #]`, `[TBD]`.
const VALUE_WORDS: &[&str] = &[
    "address",
    "amount",
    "approver",
    "channel",
    "cluster",
    "company",
    "contact",
    "date",
    "description",
    "details",
    "duration",
    "e-mail",
    "email",
    "engineer",
    "enter",
    "env",
    "environment",
    "fill",
    "here",
    "host",
    "hostname",
    "id",
    "info",
    "initials",
    "insert",
    "ip",
    "key",
    "lead",
    "link",
    "manager",
    "name",
    "number",
    "owner",
    "password",
    "person",
    "phone",
    "placeholder",
    "project",
    "reason",
    "region",
    "secret",
    "server",
    "service",
    "signature",
    "tbc",
    "tbd",
    "team",
    "time",
    "title",
    "todo",
    "token",
    "url",
    "user",
    "username",
    "value",
    "version",
    "window",
    "your",
    // The same in other languages (`[NOME]`, `[FECHA]`, `[Unterschrift]`).
    "nome",
    "nom",
    "nombre",
    "data",
    "fecha",
    "datum",
    "firma",
    "assinatura",
    "unterschrift",
    "hora",
    "heure",
    "uhrzeit",
    "telefone",
    "telefono",
    "equipe",
    "equipo",
];

/// Bracketed words that tag an item rather than wait for a value: priorities, states, CI
/// directives (`[WIP]`, `[Optional]`, `[skip ci]`).
const TAGS: &[&str] = &[
    "alpha",
    "auto",
    "automated",
    "beta",
    "blocker",
    "breaking",
    "chore",
    "ci skip",
    "critical",
    "default",
    "deprecated",
    "done",
    "draft",
    "experimental",
    "feat",
    "fix",
    "high",
    "hotfix",
    "low",
    "major",
    "manual",
    "medium",
    "minor",
    "new",
    "no ci",
    "optional",
    "patch",
    "removed",
    "required",
    "security",
    "skip ci",
    "skip-ci",
    "urgent",
    "wip",
    // Results and environments written in brackets (`Smoke: [PASS]`, `Env: [PROD]`).
    "ok",
    "pass",
    "passed",
    "fail",
    "failed",
    "n/a",
    "na",
    "yes",
    "no",
    "prod",
    "production",
    "staging",
    "stage",
    "dev",
    "test",
    "uat",
    "qa",
];

/// Words of a label that names a person (`Owner: [DBA]`): an acronym after it is a role to
/// name, not a tag.
const PERSON_LABELS: &[&str] = &[
    "owner",
    "assignee",
    "lead",
    "contact",
    "approver",
    "responsible",
    "on-call",
    "oncall",
    "manager",
    "engineer",
    "reviewer",
    "by",
    "who",
    "dri",
    "author",
    "requester",
    "escalation",
];

/// Whether a bracketed `[…]` waits for a value: it names one (`[Name]`, `[Ticket number]`), or
/// it is not a tag. Tags are: anything with a digit (`[P0]`, `[US1]`, `[x86_64]`,
/// `[ADR-0092]`), a known tag word (`[WIP]`, `[skip ci]`, `[PASS]`), a short acronym
/// (`[API]`), or a label that starts the text (`[Frontend] Deploy`); but an acronym after a
/// label that names a person (`Owner: [DBA]`) is a role to name.
fn is_blank_to_fill(text: &str, range: &std::ops::Range<usize>) -> bool {
    let inner = &text[range.start + 1..range.end - 1];
    // `[[Database HA design]]`: a link between the pages of a wiki (Obsidian, Foam).
    if text[..range.start].ends_with('[') && text[range.end..].starts_with(']') {
        return false;
    }
    // `/api/quotes/[id]/schedule`: a segment of a route, as Next.js writes it (a name in
    // lower camel case), in a path that starts with `/` or follows an address's host;
    // `[Name]/[Team]`, `https://[domain]/health` and `/d/[DASHBOARD_ID]` are to fill in.
    let token = text[..range.start]
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or_default();
    let in_path = token.starts_with('/')
        || token
            .split_once("://")
            .is_some_and(|(_, rest)| rest.contains('/'));
    let segment = inner.trim_start_matches('.');
    if token.ends_with('/')
        && in_path
        && segment.starts_with(|c: char| c.is_ascii_lowercase())
        && segment
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return false;
    }
    let names_value = |s: &str| {
        s.to_ascii_lowercase()
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '-')
            .any(|word| VALUE_WORDS.contains(&word))
    };
    // `[Optional: only with the CDN]`, `[ERROR: connection refused]`: a label and a note, not
    // a value to write, unless the label names one (`[Date: YYYY-MM-DD]`).
    if let Some((head, _)) = inner.split_once(": ") {
        return names_value(head);
    }
    if names_value(inner) {
        return true;
    }
    let lower = inner.to_ascii_lowercase();
    let acronym = inner.len() <= 4 && inner.bytes().all(|b| b.is_ascii_uppercase());
    let label = text[..range.start].trim().is_empty() && !text[range.end..].trim().is_empty();
    if acronym && names_person(&text[..range.start]) {
        return true;
    }
    !(inner.bytes().any(|b| b.is_ascii_digit())
        || TAGS.contains(&lower.as_str())
        || acronym
        || label)
}

/// Whether text ends with a label that names a person and its colon (`Owner:`, `Approved by:`).
fn names_person(before: &str) -> bool {
    let Some(label) = before.trim_end().strip_suffix([':', '：']) else {
        return false;
    };
    label
        .rsplit(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .take(3)
        .any(|w| PERSON_LABELS.contains(&w.to_ascii_lowercase().as_str()))
}

/// Whether `TBD`, `???` or a date format stands where a value goes: the whole text, or after a
/// colon or `=` (`Release PR: TBD`, `date=YYYY-MM-DD`), and up to the end of the text or a
/// break (`Owner: TBD, Date: TBD`). In a sentence (`Resolve the items marked TBD`, `failed???`,
/// `the time (HH:MM, UTC)`) it describes rather than waits for a value.
fn is_value(text: &str, range: &std::ops::Range<usize>) -> bool {
    let before = text[..range.start].trim_end();
    let after = text[range.end..].trim_start();
    let starts = before.is_empty() || before.ends_with([':', '：', '=']);
    // `Handoff time: HH:MM UTC`: a time zone may follow a time to write.
    let after = if text[range.clone()].contains("HH") {
        after
            .trim_start_matches(|c: char| c.is_ascii_uppercase())
            .trim_start()
    } else {
        after
    };
    let ends = after.is_empty()
        || (after.starts_with([',', ';', '|', '.', ')']) && !after.starts_with(".."));
    starts && ends
}

/// A `{{value}}` to fill in, not `${{ secrets.X }}` (a CI expression) or a section tag of
/// Mustache or Handlebars (`{{#items}}`, `{{/items}}`, `{{^empty}}`, `{{! note}}`, `{{else}}`,
/// `{{.}}`).
fn is_template_value(text: &str, range: &std::ops::Range<usize>) -> bool {
    let inner = text[range.start + 2..range.end - 2].trim();
    !(text[..range.start].ends_with('$')
        || inner.starts_with(['#', '/', '^', '!', '>'])
        || inner == "else"
        || !inner.chars().any(char::is_alphanumeric))
}

/// `[x]` style choice boxes are not placeholders.
fn is_link_text(text: &str, kind: PlaceholderKind, range: &std::ops::Range<usize>) -> bool {
    kind == PlaceholderKind::Bracket && matches!(&text[range.clone()], "[x]" | "[X]")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<&str> {
        find(s).into_iter().map(|(_, r)| &s[r]).collect()
    }

    #[test]
    fn finds_each_shape() {
        assert_eq!(texts("Tech Lead: [Name] - [Phone]"), ["[Name]", "[Phone]"]);
        assert_eq!(texts("On-Call: +1-XXX-XXX-XXXX"), ["+1-XXX-XXX-XXXX"]);
        assert_eq!(texts("Deployed By: _________"), ["_________"]);
        assert_eq!(texts("--from-literal=JWT='<GENERATED>'"), ["<GENERATED>"]);
        assert_eq!(texts("SMS_API_KEY=your-sms-api-key"), ["your-sms-api-key"]);
    }

    #[test]
    fn html_shown_as_text_is_not_a_placeholder() {
        assert!(texts("<script>alert(3)</script> script item").is_empty());
        assert!(texts("Tick <input> when done").is_empty());
        assert_eq!(texts("Deploy <tag> then <b>x</b>"), ["<tag>"]);
    }

    /// Regression: tags were placeholders, and `unfilled-placeholder` warnings on every task of
    /// a plan made `--deny warnings` fail.
    #[test]
    fn tags_are_not_placeholders() {
        for tag in [
            "[P0] Freeze merges",
            "[Optional] Warm the cache",
            "[BLOCKER] Confirm",
            "T012 [P] [US1] Create User model",
            "Build for [x86_64] and [arm64]",
            "Bump version [skip ci]",
            "Set LOG_LEVEL=info [default]",
            "Confirm [ADR-0092] is accepted",
            "Check the [API] and [DB]",
            "[Frontend] Deploy the bundle",
            "Warm the cache [Optional: only when the CDN is enabled]",
            "Expect [ERROR: connection refused] in the log",
            "Watch [Grafana: API latency]",
        ] {
            assert!(texts(tag).is_empty(), "{tag}: {:?}", texts(tag));
        }
        assert_eq!(texts("[Name] approves [TBD]"), ["[Name]", "[TBD]"]);
        assert_eq!(texts("Owner: [Release Manager]"), ["[Release Manager]"]);
        assert_eq!(texts("Customer: [Customer]"), ["[Customer]"]);
        // Regression: an acronym where a value goes was taken for a tag and never flagged.
        assert_eq!(texts("Owner: [DBA]"), ["[DBA]"]);
        // Short words for a value in other languages are no acronyms.
        assert_eq!(texts("Responsável: [NOME]"), ["[NOME]"]);
        assert_eq!(texts("Data Deploy: [DATA]"), ["[DATA]"]);
        assert_eq!(texts("Nom : [NOM]"), ["[NOM]"]);
        assert_eq!(texts("Smoke: [PASS]"), Vec::<&str>::new());
        assert_eq!(texts("Env: [PROD]"), Vec::<&str>::new());
        assert_eq!(texts("Result: [OK]"), Vec::<&str>::new());
        assert_eq!(texts("[API] Fix the timeout"), Vec::<&str>::new());
        assert_eq!(texts("Ticket: [JIRA-123]"), Vec::<&str>::new());
    }

    /// Regression: a bracket holding a colon, a per cent sign, a dash or a letter outside
    /// ASCII was not a placeholder, so templates full of `Time: [HH:MM]` or `[氏名]` passed
    /// `unfilled-placeholder` clean; a masked date was found from its month only.
    #[test]
    fn finds_brackets_of_any_script_and_masked_dates() {
        for (text, found) in [
            ("Start time: [HH:MM]", "[HH:MM]"),
            ("Error rate: [X%]", "[X%]"),
            ("Notify [Équipe]", "[Équipe]"),
            (
                "Duration: [start time — end time]",
                "[start time — end time]",
            ),
            ("| Approver | [氏名] |", "[氏名]"),
            ("Release date: 2025-01-XX", "2025-01-XX"),
            ("Host: 10.0.XX.XX", "10.0.XX.XX"),
        ] {
            assert_eq!(texts(text), [found], "{text}");
        }
    }

    /// Regression: template variables, `TBD`, `???` and date formats in release templates
    /// were not found, so `unfilled-placeholder` said nothing about them.
    #[test]
    fn finds_template_variables_and_unknown_values() {
        assert_eq!(
            texts("Tag {{version}} and {{ .Release }}"),
            ["{{version}}", "{{ .Release }}"]
        );
        assert_eq!(texts("Release PR: TBD"), ["TBD"]);
        assert_eq!(texts("Workflow run: ???"), ["???"]);
        assert_eq!(texts("Date: MM/DD/YYYY"), ["MM/DD/YYYY"]);
        // Regression: a date with a time, or a range of dates, was not found.
        assert_eq!(texts("Start: YYYY-MM-DD HH:MM"), ["YYYY-MM-DD HH:MM"]);
        assert_eq!(texts("Start: YYYY-MM-DD HH:MM UTC"), ["YYYY-MM-DD HH:MM"]);
        assert_eq!(
            texts("Period 1: YYYY-MM-DD to YYYY-MM-DD"),
            ["YYYY-MM-DD to YYYY-MM-DD"]
        );
        // Regression: a link of a wiki was a placeholder.
        assert!(texts("See [[Database HA Architecture Design]]").is_empty());
        assert_eq!(texts("Owner: TBD, window: HH:MM"), ["TBD", "HH:MM"]);
        assert_eq!(texts("freeze=YYYY-MM-DD"), ["YYYY-MM-DD"]);
        assert_eq!(texts("TBD"), ["TBD"]);
        for text in [
            "TBDs are tracked",
            "Is it ready?",
            "Why?? Because",
            "STBD",
            "{}",
            "Check why the job failed???",
            "Resolve every item marked TBD",
            "Record the start time (HH:MM, UTC)",
            "Dates use the ISO format YYYY-MM-DD",
            "use ${{ secrets.DEPLOY_KEY }}",
        ] {
            assert!(texts(text).is_empty(), "{text}: {:?}", texts(text));
        }
    }

    #[test]
    fn ignores_ordinary_text() {
        assert!(texts("XSS protection enabled (XSS, etc.)").is_empty());
        assert!(texts("Your deployment is done").is_empty());
        assert!(texts("snake_case names").is_empty());
    }
}
