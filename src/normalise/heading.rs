//! Cleaning headings: `### 1. Code & Repository ✅ (15 items)` → number `1`, title
//! `Code & Repository`, icon `✅`, declared count 15. Durations and times in a heading (`(30
//! minutes)`, `14:00 —`) are read here, and ranges among sibling sections that follow on from a
//! window (`(0-5 minutes)`, `(5-15 minutes)`) are windows too.

use std::sync::LazyLock;

use regex::Regex;

use super::text::strip_emoji;
use crate::model::{Duration, Section};

/// What a heading says once its decoration is taken off.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct CleanHeading {
    /// Leading number without its dot.
    pub number: Option<String>,
    /// The title.
    pub title: String,
    /// The first emoji that decorated it.
    pub icon: Option<String>,
    /// `(15 items)`.
    pub declared_count: Option<u32>,
    /// `(30 minutes)`.
    pub duration: Option<Duration>,
    /// `(T-2 hours)`, `(Day 1)`, `(Within 1 hour)`.
    pub time: Option<String>,
}

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| unreachable!("{e}"))
}

/// A parenthesis at the end, also full-width (`（2分钟）`).
static TRAILING_PAREN: LazyLock<Regex> = LazyLock::new(|| re(r"[(（]([^()（）]*)[)）]\s*$"));
static COUNT: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^(\d{1,6})\s+(?:items?|tasks?|checks?|steps?)$"));
static TIME: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(?:T\s*[-+−‐‑]\s*\d.*|T\s*[-+−‐‑]?\s*0|day\s+\d.*|within\s+\d.*|(?:[01]?\d|2[0-4]):[0-5]\d(?:\D.*)?|\d{1,2}\s*(?:am|pm))$",
    )
});
/// A clock time (`9:00 AM`, `14:30 UTC`, `3pm`) or a relative one (`T-2 hours`, `T+30m`), as a
/// regex group; time zones are the common abbreviations, in capitals.
pub(super) const CLOCK_OR_RELATIVE: &str = r"((?:(?:[01]?\d|2[0-4]):[0-5]\d(?::[0-5]\d)?\s*(?:[ap]\.?m\.?)?|\d{1,2}\s*[ap]\.?m\.?)(?:\s*(?-i:UTC|GMT|Z|EST|EDT|CST|CDT|MST|MDT|PST|PDT|BST|CET|CEST|EET|EEST|IST|JST|SGT|AEST|AEDT)\b|\s*[+-]\d{2}:?\d{2})?|T\s*[-+−‐‑]\s*\d+(?:\.\d+)?\s*(?:minutes?|mins?|hours?|hrs?|h|m|days?|d)?)";
/// A time or a range of times (`9:00 AM - 9:30 AM`, `T+0 to T+2h`, `22:00–23:00 CET`) as a
/// regex group.
pub(super) fn time_or_range() -> String {
    format!(r"({}(?:\s*{})?)", one_time(), range_end())
}

/// One time, as [`CLOCK_OR_RELATIVE`] without its group.
fn one_time() -> String {
    format!("(?:{}", &CLOCK_OR_RELATIVE[1..])
}

/// The end of a range of times: a dash or `to` and the second time (`– 15:00`, `to T+2h`).
fn range_end() -> String {
    format!(r"(?:-|–|—|to|until)\s*{}", one_time())
}

/// A heading that starts with a time and a separator (`14:00 UTC — Switch traffic`), or with a
/// range of times and a space (`14:00 – 15:00 Cutover`).
static LEADING_TIME: LazyLock<Regex> = LazyLock::new(|| {
    let (one, range) = (one_time(), range_end());
    re(&format!(
        r"(?i)^({one}\s*{range}\s*(?:[:\-–—|]|\s-)|{one}\s*{range}|{one}\s*(?:[:\-–—|]|\s-))\s+(\S.*)$"
    ))
});
/// The rest of a range after its first number: `- 2.1: Upgrade notes`.
static RANGE_REST: LazyLock<Regex> = LazyLock::new(|| re(r"^[-–—]\s*\d"));
/// A clock or relative time, or a range of them, and nothing else.
static ONLY_TIME: LazyLock<Regex> = LazyLock::new(|| re(&format!(r"(?i)^{}\s*$", time_or_range())));
/// A parenthesis before a separator and more title: `Morning (09:00–12:00) — recovery`.
static MIDDLE_PAREN: LazyLock<Regex> =
    LazyLock::new(|| re(r"\s*\(([^()]*)\)\s*([—–|:]|--?)\s+(\S.*)$"));
static NUMBER: LazyLock<Regex> = LazyLock::new(|| re(r"^(\d{1,4}(?:\.\d{1,4})*)([.)]?)\s+(\S.*)$"));
/// A duration: a number or a range and a unit, in English or another common language
/// (`30 minutes`, `5-10 Minuten`, `1 hora`, `2分钟`, `1時間`, `90 sec`), after an optional
/// "about". Seconds need their word (`sec`): `300s` is more often a setting (`TTL (300s)`)
/// than the time a step takes.
static DURATION: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(?:~\s*|about\s+|approx\.?\s+|estimated\s+|est\.\s*|estimate:\s+|ca\.\s*|env\.\s*|aprox\.?\s+|約\s*|约\s*)?(\d+(?:\.\d+)?)(?:\s*(?:-|–|to|~|〜|～|bis|à|a)\s*(\d+(?:\.\d+)?))?\s*(seconds?|secs?|segundos?|secondes?|sekunden?|秒|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w|minutos?|minuten|minuti|heures?|horas?|stunden?|std|tage?|días?|dias?|jours?|semaines?|semanas?|wochen?|分钟|分鐘|分間|分|時間|小时|小時|天|日|週間|周)\.?$",
    )
});

/// Minutes in one of a [`DURATION`]'s units (lower case); `None` for a unit it does not know
/// (Unicode case folding lets the pattern match `ſtd` for `std`).
fn unit_minutes(unit: &str) -> Option<f64> {
    const HOUR: f64 = 60.0;
    const DAY: f64 = 24.0 * HOUR;
    const WEEK: f64 = 7.0 * DAY;
    let minutes = match unit.trim_end_matches('s') {
        "sec" | "second" | "segundo" | "seconde" | "sekunde" | "sekunden" | "秒" => 1.0 / 60.0,
        "m" | "min" | "minute" | "minuto" | "minuten" | "minuti" | "分钟" | "分鐘" | "分間"
        | "分" => 1.0,
        "h" | "hr" | "hour" | "heure" | "hora" | "stunde" | "stunden" | "std" | "時間" | "小时"
        | "小時" => HOUR,
        "d" | "day" | "día" | "dia" | "jour" | "tag" | "tage" | "天" | "日" => DAY,
        "w" | "week" | "semaine" | "semana" | "woche" | "wochen" | "週間" | "周" => WEEK,
        _ => return None,
    };
    Some(minutes)
}
/// A length of minutes or hours written as an adjective: `(4-hour)`, `(30-minute)`. Not days
/// or weeks: `(90-day)` names a period (a certificate's), not the time a step takes.
static HYPHENATED: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^(\d{1,3})-(minutes?|mins?|hours?|hrs?)$"));
static DURATION_HM: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^(\d+)\s*h(?:ours?|rs?)?\s*(\d+)\s*m(?:in(?:ute)?s?)?$"));

/// Cleans a heading's text (already repaired of mojibake).
#[must_use]
pub(super) fn clean(text: &str) -> CleanHeading {
    // `### [ ] 7.1 Import`: a box written before a heading, as a plan of work ticks its parts,
    // is no part of the title (the raw title keeps it).
    let trimmed = text.trim_start();
    let text = ["[ ] ", "[x] ", "[X] "]
        .iter()
        .find_map(|b| trimmed.strip_prefix(b))
        .unwrap_or(text);
    let (keycap, text) = keycap_number(text);
    let (mut icon, mut title) = strip_emoji(text);
    let mut out = CleanHeading {
        number: keycap,
        ..CleanHeading::default()
    };
    while title.trim_end().ends_with([')', '）'])
        && let Some(caps) = TRAILING_PAREN.captures(&title)
    {
        let inner = caps[1].trim().to_owned();
        let whole = caps.get(0).map_or(title.len(), |m| m.start());
        if let Some(count) = COUNT.captures(&inner).and_then(|c| c[1].parse().ok()) {
            out.declared_count.get_or_insert(count);
        } else if let Some(d) = parse_duration(&inner) {
            out.duration.get_or_insert(d);
        } else if TIME.is_match(&inner) || is_window(&inner) {
            out.time.get_or_insert(inner);
        } else if let Some((d, note)) = duration_and_note(&inner) {
            // `(5 minutes - use previous results)`: the duration is read, the note stays.
            out.duration.get_or_insert(d);
            title = format!("{} ({note})", title[..whole].trim_end());
            break;
        } else {
            break;
        }
        title.truncate(whole);
        let (more_icon, rest) = strip_emoji(&title);
        icon = icon.or(more_icon);
        title = rest;
    }
    if out.time.is_none()
        && out.duration.is_none()
        && title.contains('(')
        && let Some(shorter) = middle_time_or_duration(&title, &mut out)
    {
        title = shorter;
    }
    take_leading_time(&mut title, &mut out);
    if out.number.is_none()
        && title.starts_with(char::is_numeric)
        && let Some(caps) = NUMBER.captures(&title)
        && (!caps[2].is_empty() || caps[1].contains('.'))
        // `2.0 - 2.1: Upgrade notes` is a range of versions, not a number and a title.
        && !RANGE_REST.is_match(&caps[3])
    {
        out.number = Some(caps[1].to_owned());
        // `1.2 - Prepare the database`: the dash only parts the number from the title.
        title = caps[3]
            .trim_start_matches(['-', '–', '—'])
            .trim()
            .to_owned();
        // `3. 14:00 — Switch traffic`: a time after the number.
        take_leading_time(&mut title, &mut out);
    }
    let (more_icon, rest) = strip_emoji(&title);
    out.icon = icon.or(more_icon);
    out.title = rest;
    out
}

/// A number written in keycap emoji at the start of a heading (`1️⃣ Code`, `1️⃣2️⃣ Tests`,
/// `🔟 Sign-off`), and the rest of the heading.
fn keycap_number(text: &str) -> (Option<String>, &str) {
    let mut number = String::new();
    let mut rest = text.trim_start();
    loop {
        if let Some(after) = rest.strip_prefix('🔟') {
            number.push_str("10");
            rest = after;
            continue;
        }
        let mut chars = rest.chars();
        let Some(digit) = chars.next().filter(char::is_ascii_digit) else {
            break;
        };
        let after = chars.as_str();
        let after = after.strip_prefix('\u{fe0f}').unwrap_or(after);
        let Some(after) = after.strip_prefix('\u{20e3}') else {
            break;
        };
        number.push(digit);
        rest = after;
    }
    if number.is_empty() || rest.trim().is_empty() {
        return (None, text);
    }
    (Some(number), rest.trim_start())
}

/// Takes a time that starts the title, before a separator (`14:00 UTC — Switch traffic`), into
/// `out`, unless it has one already.
fn take_leading_time(title: &mut String, out: &mut CleanHeading) {
    if out.time.is_none()
        && title.starts_with(|c: char| c.is_ascii_digit() || c == 'T' || c == 't')
        // `10:00 - 10:30`, `9:00 AM - 9:30 AM` and `14:00 – 15:00 UTC` are a range alone, not
        // a time and a title.
        && !ONLY_TIME.is_match(title)
        && let Some(caps) = LEADING_TIME.captures(title)
    {
        out.time = Some(
            caps[1]
                .trim()
                .trim_end_matches([':', '-', '–', '—', '|'])
                .trim_end()
                .to_owned(),
        );
        *title = caps[2].trim().to_owned();
    }
}

/// Takes a time or duration in parentheses out of the middle of `title`, before a separator
/// and more title: `Morning (09:00–12:00) — recovery` has time `09:00–12:00` and title
/// `Morning — recovery`. Other parentheses stay (`None`).
fn middle_time_or_duration(title: &str, out: &mut CleanHeading) -> Option<String> {
    let caps = MIDDLE_PAREN.captures(title)?;
    let inner = caps[1].trim();
    if TIME.is_match(inner) || is_window(inner) {
        out.time = Some(inner.to_owned());
    } else if let Some(d) = parse_duration(inner) {
        out.duration = Some(d);
    } else {
        return None;
    }
    let start = caps.get(0).map_or(0, |m| m.start());
    let before = title[..start].trim_end();
    if before.is_empty() {
        // `(09:00) — Cutover`: nothing before the separator.
        return Some(caps[3].to_owned());
    }
    // A colon follows the word before it; a dash or bar stands between spaces.
    let gap = if &caps[2] == ":" { "" } else { " " };
    Some(format!("{before}{gap}{} {}", &caps[2], &caps[3]))
}

/// A duration followed by a note after a dash, comma or semicolon: `5 minutes - optional`,
/// `1-2 hours, if needed`.
fn duration_and_note(inner: &str) -> Option<(Duration, &str)> {
    let (at, sep) = [", ", "; ", " - ", " – ", " — "]
        .iter()
        .filter_map(|sep| inner.find(sep).map(|at| (at, sep.len())))
        .min()?;
    let note = inner[at + sep..].trim();
    let d = parse_duration(&inner[..at])?;
    (!note.is_empty()).then_some((d, note))
}

/// Whether `s` is a window after an event, a range of time from zero (`0-24 hours`): a time
/// the heading declares, not a duration.
fn is_window(s: &str) -> bool {
    DURATION
        .captures(s.trim())
        .is_some_and(|c| c.get(2).is_some() && c[1].parse::<f64>().is_ok_and(|low| low == 0.0))
}

/// The range a duration's text spans, in minutes (`5-15 minutes` → 5 and 15); `None` for a
/// single value.
fn range_minutes(text: &str) -> Option<(f64, f64)> {
    let c = DURATION.captures(text.trim())?;
    let low: f64 = c[1].parse().ok()?;
    let high: f64 = c.get(2)?.as_str().parse().ok()?;
    let per = unit_minutes(&c[3].to_lowercase())?;
    Some((low * per, high * per))
}

/// Ranges in the titles of sibling sections that follow on from a window are windows too:
/// after `Initial Response (0-5 minutes)`, `Assessment (5-15 minutes)` and `Post-Incident
/// (24-72 hours)` say when each stage comes after the event, not how long it takes. A range
/// that starts before the previous window ends, or a single duration, ends the run.
pub(super) fn follow_on_windows(sections: &mut [Section]) {
    let mut end: Option<f64> = None;
    for section in sections.iter_mut() {
        let window = section.time.as_deref().and_then(range_minutes);
        let range = section
            .duration
            .as_ref()
            .and_then(|d| range_minutes(&d.text));
        match (window, range) {
            (Some((0.0, high)), _) => end = Some(high),
            (None, Some((low, high))) if end.is_some_and(|e| low >= e) => {
                section.time = section.duration.take().map(|d| d.text);
                end = Some(high);
            }
            (None, None) if section.duration.is_none() && section.time.is_none() => {}
            _ => end = None,
        }
        follow_on_windows(&mut section.sections);
    }
}

/// Reads a value that starts with a duration and may go on with a note: `3-4 hours (includes
/// rollback testing)`, `3 hours total`, `~2h, depending on traffic`. The duration keeps the
/// whole value as its text.
#[must_use]
pub(super) fn leading_duration(s: &str) -> Option<Duration> {
    if let Some(d) = parse_duration(s) {
        return Some(d);
    }
    let s = s.trim();
    let ends = s
        .char_indices()
        .filter(|&(_, c)| c.is_whitespace() || matches!(c, '(' | ',' | ';'))
        .map(|(at, _)| at)
        .take(5);
    let minutes = ends
        .filter_map(|end| parse_duration(s[..end].trim_end_matches([' ', '-', '–', '—', ':'])))
        .last()?
        .minutes;
    Some(Duration {
        text: s.to_owned(),
        minutes,
    })
}

/// Reads a duration such as `30 minutes`, `1 hour`, `2-3 days`, `1h 30m`, also after an emoji
/// (`⏱️ 5-10 minutes`).
#[must_use]
pub fn parse_duration(s: &str) -> Option<Duration> {
    let s = s
        .trim_start_matches(|c: char| super::text::is_emoji(c) || c.is_whitespace())
        .trim_end();
    if let Some(c) = DURATION_HM.captures(s) {
        let minutes = c[1]
            .parse::<u32>()
            .ok()?
            .checked_mul(60)?
            .checked_add(c[2].parse().ok()?)?;
        return Some(Duration {
            text: s.to_owned(),
            minutes,
        });
    }
    if let Some(c) = HYPHENATED.captures(s) {
        return Some(Duration {
            text: s.to_owned(),
            minutes: c[1].parse::<u32>().ok()?.checked_mul(
                if c[2].to_ascii_lowercase().starts_with('h') {
                    60
                } else {
                    1
                },
            )?,
        });
    }
    let Some(c) = DURATION.captures(s) else {
        return mixed_range(s);
    };
    if c.get(2).is_some() && c[1].parse::<f64>().ok()? == 0.0 {
        // `0-24 hours` is a window after an event (`Immediate (0-24 hours)`), not work time.
        return None;
    }
    // The larger end of a range, however it is written (`20-15 min`).
    let low: f64 = c[1].parse().ok()?;
    let high: f64 = c
        .get(2)
        .map_or(Some(low), |m| m.as_str().parse().ok())?
        .max(low);
    let per = unit_minutes(&c[3].to_lowercase())?;
    // Seconds round up to a whole minute: a plan should not under-book.
    let minutes = if per < 1.0 {
        (high * per).ceil()
    } else {
        (high * per).round()
    };
    (minutes.is_finite() && minutes >= 0.0 && minutes <= f64::from(u32::MAX)).then(|| Duration {
        text: s.to_owned(),
        #[expect(
            clippy::cast_sign_loss,
            reason = "checked non-negative and in range above"
        )]
        minutes: minutes as u32,
    })
}

/// A range whose ends have their own units (`15 min - 2 hours`): its larger end.
fn mixed_range(s: &str) -> Option<Duration> {
    [" - ", " – ", " — ", " to ", " bis ", " a ", " à "]
        .iter()
        .find_map(|sep| {
            let (low, high) = s.split_once(sep)?;
            let (low, high) = (parse_duration(low)?, parse_duration(high)?);
            Some(Duration {
                text: s.to_owned(),
                minutes: low.minutes.max(high.minutes),
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: an incident runbook's stages (`Initial Response (0-5 minutes)`, `Assessment
    /// (5-15 minutes)`) were summed as durations into an estimate of days.
    #[test]
    fn ranges_after_a_window_are_windows() {
        let md = "# Incident\n\n## Initial Response (0-5 minutes)\n\n## Assessment (5-15 minutes)\n\n### Triage (5-10 minutes)\n\n## Resolution\n\n## Post-Incident (24-72 hours)\n\n## Deploy (10 minutes)\n\n## Verify (30-45 minutes)\n";
        let c = crate::pipeline::from_bytes("f.md", "f", md.as_bytes()).checklist;
        let got: Vec<(Option<&str>, Option<u32>)> = c
            .walk_sections()
            .map(|s| (s.time.as_deref(), s.duration.as_ref().map(|d| d.minutes)))
            .collect();
        assert_eq!(
            got,
            [
                (Some("0-5 minutes"), None),
                (Some("5-15 minutes"), None),
                (None, Some(10)),
                (None, None),
                (Some("24-72 hours"), None),
                (None, Some(10)),
                (None, Some(45)),
            ]
        );
    }

    /// Regression: `(⏱️ 5-10 minutes)` stayed in the title, as the emoji hid the duration.
    #[test]
    fn a_duration_after_an_emoji_is_read() {
        let h = clean("Rollback Decision (⏱️ 5-10 minutes)");
        assert_eq!(h.title, "Rollback Decision");
        assert_eq!(
            h.duration.map(|d| (d.text, d.minutes)),
            Some(("5-10 minutes".to_owned(), 10))
        );
        assert!(parse_duration("⏱️").is_none());
    }

    /// Regression: `Immediate (0-24 hours)`, a window after the release, was read as a day of
    /// work and added to the checklist's estimate.
    #[test]
    fn a_range_from_zero_is_a_window_not_a_duration() {
        assert!(parse_duration("0-24 hours").is_none());
        let h = clean("Immediate (0-24 hours)");
        assert_eq!(
            (h.title.as_str(), h.time.as_deref(), h.duration.is_none()),
            ("Immediate", Some("0-24 hours"), true)
        );
        assert!(parse_duration("0 to 2 days").is_none());
        assert_eq!(parse_duration("1-2 hours").map(|d| d.minutes), Some(120));
        assert_eq!(parse_duration("0.5 hours").map(|d| d.minutes), Some(30));
        for (text, minutes) in [
            ("2分钟", 2),
            ("5-10分钟", 10),
            ("5 minutos", 5),
            ("1 heure", 60),
            ("10 Minuten", 10),
            ("ca. 2 Std.", 120),
            ("1時間", 60),
            ("5〜10分", 10),
            ("2 días", 2 * 24 * 60),
            ("3 Tage", 3 * 24 * 60),
            ("1 semana", 7 * 24 * 60),
            ("5 a 10 minutos", 10),
            ("20-15 min", 20),
        ] {
            assert_eq!(
                parse_duration(text).map(|d| d.minutes),
                Some(minutes),
                "{text}"
            );
        }
    }

    #[test]
    fn numbers_in_other_digits_are_read() {
        let h = clean("١. مقدمة");
        assert_eq!(
            (h.number.as_deref(), h.title.as_str()),
            (Some("١"), "مقدمة")
        );
    }

    #[test]
    fn a_duration_with_a_note_keeps_the_note() {
        let h = clean("Section 6: Performance & Load Testing (5 minutes - Use Previous Results)");
        assert_eq!(h.duration.map(|d| d.minutes), Some(5));
        assert_eq!(
            h.title,
            "Section 6: Performance & Load Testing (Use Previous Results)"
        );
        let h = clean("Restore (1-2 hours, if needed)");
        assert_eq!(h.duration.map(|d| d.minutes), Some(120));
        assert_eq!(h.title, "Restore (if needed)");
        let h = clean("Checks (see below - part 2)");
        assert_eq!(
            (h.duration, h.title.as_str()),
            (None, "Checks (see below - part 2)")
        );
    }

    #[test]
    fn numbered_counted_heading() {
        let h = clean("1. Code & Repository (15 items)");
        assert_eq!(h.number.as_deref(), Some("1"));
        assert_eq!(h.title, "Code & Repository");
        assert_eq!(h.declared_count, Some(15));
    }

    /// Regression: `### [ ] 7.1 importar.ts` kept its box in the title and had no number.
    #[test]
    fn a_box_before_a_heading_is_dropped() {
        let h = clean("[ ] 7.1 `importar.ts` + conferir");
        assert_eq!(h.number.as_deref(), Some("7.1"));
        assert_eq!(h.title, "`importar.ts` + conferir");
        assert_eq!(clean("[x] Done part").title, "Done part");
    }

    #[test]
    fn emoji_and_time() {
        let h = clean("✅ PRE-DEPLOYMENT CHECKLIST");
        assert_eq!(
            (h.icon.as_deref(), h.title.as_str()),
            (Some("✅"), "PRE-DEPLOYMENT CHECKLIST")
        );
        let h = clean("Pre-Deployment (T-2 hours)");
        assert_eq!(
            (h.title.as_str(), h.time.as_deref()),
            ("Pre-Deployment", Some("T-2 hours"))
        );
        let h = clean("1. Code Readiness ✓");
        assert_eq!(
            (h.title.as_str(), h.icon.as_deref()),
            ("Code Readiness", Some("✓"))
        );
    }

    #[test]
    fn durations() {
        let h = clean("Step 1: Final Verification (30 minutes)");
        assert_eq!(h.title, "Step 1: Final Verification");
        assert_eq!(h.duration.map(|d| d.minutes), Some(30));
        assert_eq!(parse_duration("1 hour").map(|d| d.minutes), Some(60));
        assert_eq!(
            parse_duration("2-3 days").map(|d| d.minutes),
            Some(3 * 24 * 60)
        );
        assert_eq!(parse_duration("1h 30m").map(|d| d.minutes), Some(90));
        assert_eq!(parse_duration("soon"), None);
    }

    /// Regression: a relative time written with a non-breaking hyphen (`T‑60m`, as word
    /// processors write it) was no time.
    #[test]
    fn relative_times_with_other_hyphens() {
        for heading in ["T\u{2011}60m: Final checks", "T\u{2010}60m: Final checks"] {
            let h = clean(heading);
            assert_eq!(h.title, "Final checks", "{heading}");
            assert!(h.time.is_some_and(|t| t.ends_with("60m")), "{heading}");
        }
    }

    /// Regression: a heading numbered in keycap emoji (`1️⃣ CÓDIGO`) kept them in its title and
    /// its id, and `（30分間）` was no duration.
    #[test]
    fn keycap_numbers_and_japanese_minutes() {
        let h = clean("1\u{fe0f}\u{20e3} CÓDIGO E QUALIDADE");
        assert_eq!(
            (h.number.as_deref(), h.title.as_str()),
            (Some("1"), "CÓDIGO E QUALIDADE")
        );
        let h = clean("1\u{20e3}2\u{20e3} Tests");
        assert_eq!(
            (h.number.as_deref(), h.title.as_str()),
            (Some("12"), "Tests")
        );
        assert_eq!(clean("🔟 Sign-off").number.as_deref(), Some("10"));
        assert_eq!(clean("1\u{fe0f}\u{20e3}").number, None);
        let h = clean("デプロイ直後（30分間）");
        assert_eq!(
            (h.title.as_str(), h.duration.map(|d| d.minutes)),
            ("デプロイ直後", Some(30))
        );
    }

    /// Regression: steps timed in seconds (`(30 seconds)`, `(90 sec)`) and hyphenated
    /// durations (`(4-hour)`) had no duration.
    #[test]
    fn seconds_and_hyphenated_units_are_durations() {
        for (text, minutes) in [
            ("30 seconds", 1),
            ("90 sec", 2),
            ("120 Sekunden", 2),
            ("10 秒", 1),
            ("4-hour", 240),
            ("30-minute", 30),
            ("5-10 minutes", 10),
            ("15 min - 2 hours", 120),
            ("15 min - 2 horas", 120),
        ] {
            assert_eq!(
                parse_duration(text).map(|d| d.minutes),
                Some(minutes),
                "{text}"
            );
        }
        // `300s` is more often a setting (`TTL set (300s)`) than the time a step takes.
        for text in [
            "500ms", "300s", "5 items", "v2-s", "3-", "90-day", "3-D", "2-week",
        ] {
            assert_eq!(parse_duration(text), None, "{text}");
        }
    }

    /// Regression: a heading that starts with a range of times kept only its start, the end
    /// left in the title (`9:30 AM: Welcome`), or no time at all.
    #[test]
    fn a_leading_range_of_times_is_the_time() {
        for (heading, time, title) in [
            ("9:00 AM - 9:30 AM: Welcome", "9:00 AM - 9:30 AM", "Welcome"),
            ("09:00-09:30 UTC: Freeze", "09:00-09:30 UTC", "Freeze"),
            ("T+0 to T+2h: Monitoring", "T+0 to T+2h", "Monitoring"),
            ("T-30 min – T-0: Prep", "T-30 min – T-0", "Prep"),
            ("14:00 – 15:00 Cutover", "14:00 – 15:00", "Cutover"),
            ("14:00 UTC — Switch traffic", "14:00 UTC", "Switch traffic"),
            ("3. 14:00 — Switch traffic", "14:00", "Switch traffic"),
            ("(09:00) — Cutover", "09:00", "Cutover"),
        ] {
            let h = clean(heading);
            assert_eq!(
                (h.time.as_deref(), h.title.as_str()),
                (Some(time), title),
                "{heading}"
            );
        }
        assert_eq!(clean("10 tasks - to do").time, None);
        // No clock shows 99:99.
        assert_eq!(clean("(99:99) — Cutover").time, None);
        // A range alone, and a range of versions, stay the title.
        for range in [
            "10:00 - 10:30",
            "9:00 AM - 9:30 AM",
            "14:00 – 15:00 UTC",
            "T-60 min - T-30 min",
        ] {
            assert_eq!(clean(range).title, range);
        }
        let h = clean("2.0 - 2.1: Upgrade notes");
        assert_eq!(
            (h.number, h.title.as_str()),
            (None, "2.0 - 2.1: Upgrade notes")
        );
        let h = clean("1.2 - Prepare the database");
        assert_eq!(
            (h.number.as_deref(), h.title.as_str()),
            (Some("1.2"), "Prepare the database")
        );
    }

    /// Regression: a window in the middle of a heading stayed in its title and id
    /// (`morning-09-00-12-00-recovery`), and the section had no time.
    #[test]
    fn a_time_before_more_title_is_read() {
        let h = clean("Morning (09:00–12:00) — recovery");
        assert_eq!(
            (h.title.as_str(), h.time.as_deref()),
            ("Morning — recovery", Some("09:00–12:00"))
        );
        let h = clean("Pre-Drill (T-14 days) — prep");
        assert_eq!(
            (h.title.as_str(), h.time.as_deref()),
            ("Pre-Drill — prep", Some("T-14 days"))
        );
        let h = clean("Smoke tests (15 min): API");
        assert_eq!(h.title, "Smoke tests: API");
        assert_eq!(h.duration.map(|d| d.minutes), Some(15));
        assert_eq!(
            clean("Deploy (blue/green) — prod").title,
            "Deploy (blue/green) — prod"
        );
    }

    #[test]
    fn other_parentheses_stay() {
        let h = clean("Rollback Database (if needed)");
        assert_eq!(h.title, "Rollback Database (if needed)");
        let h = clean("2025 Roadmap");
        assert_eq!((h.number, h.title.as_str()), (None, "2025 Roadmap"));
    }
}
