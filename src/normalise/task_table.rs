//! Tables of tasks: a table whose rows are steps to tick, told by one column of boxes
//! (`| 1 | Stop the writers | DBA | [ ] |`), or of empty cells under a header such as `Done`
//! or `✓`. Each body row becomes a task; its text is the row's main cell (the `Task` or
//! `Action` column, else the column with the most text), and a `Time` or `Duration` column
//! gives it a time or a duration.

use super::heading::parse_duration;
use super::text::fold;

/// Which columns of a table of tasks hold what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Layout {
    /// The column of boxes.
    pub tick: usize,
    /// Whether the boxes may be written as states (`Pending`, `Done`, `X`, `No`): under a
    /// `Status` header or one such as `Done`.
    pub states: bool,
    /// The column whose text names the task.
    pub main: usize,
    /// A column of clock or relative times (`09:00`, `T-30 min`).
    pub time: Option<usize>,
    /// A column of durations (`15 min`).
    pub duration: Option<usize>,
}

/// Boxes written in a cell: unticked, then ticked. The first four ticked ones are boxes
/// anywhere; the check marks after them are boxes only in a column that has another sign of
/// being one (an open box, or a header such as `Done`): a column of `✅` under `Supported` is a
/// table of facts.
const OPEN: &[&str] = &["[ ]", "[]", "☐", "⬜", "🔲", "□", "◻", "▢"];
const TICKED: &[&str] = &["[x]", "[X]", "☒", "🗹", "☑", "✅", "✔", "✓"];
const BOXES_ANYWHERE: usize = 4;

/// Headers of a column of boxes, which may be left empty to tick with a pen.
const TICK_HEADERS: &[&str] = &[
    "done",
    "check",
    "checked",
    "tick",
    "complete",
    "completed",
    "ok",
    "erledigt",
    "fertig",
    "fait",
    "hecho",
    "completado",
    "feito",
    "concluído",
    "完了",
    "済",
    "チェック",
    "完成",
    "已完成",
    "✓",
    "✔",
    "✅",
    "☐",
    "[ ]",
    "[x]",
];

/// Headers of the column that names the task.
const TASK_HEADERS: &[&str] = &[
    "task",
    "feature",
    "test",
    "title",
    "check",
    "requirement",
    "deliverable",
    "milestone",
    "action",
    "step",
    "item",
    "activity",
    "description",
    "what",
    "check item",
    "aufgabe",
    "schritt",
    "tätigkeit",
    "tâche",
    "étape",
    "tarea",
    "paso",
    "acción",
    "tarefa",
    "passo",
    "ação",
    "作業",
    "手順",
    "項目",
    "内容",
    "任务",
    "步骤",
    "检查项",
];

/// Headers of a column of boxes that are settings or facts, not steps to tick (`Default`,
/// `Required` of a table of options).
const NOT_TICK_HEADERS: &[&str] = &[
    "default",
    "required",
    "optional",
    "supported",
    "enabled",
    "available",
    "mandatory",
    "symbol",
    "icon",
    "legend",
];

/// Words of a state a legend explains (`⬜ Not started`, `✅ Done`) beside those of
/// [`OPEN_STATES`] and [`DONE_STATES`].
fn is_state(cell: &str) -> bool {
    matches!(
        fold(cell).as_str(),
        "in progress" | "blocked" | "skipped" | "failed" | "n/a" | "not applicable" | "ok"
    )
}

/// Headers of columns that say something about a task rather than name it.
const NOT_MAIN_HEADERS: &[&str] = &[
    "notes",
    "note",
    "comments",
    "comment",
    "remarks",
    "details",
    "evidence",
    "files",
    "impact",
    "link",
    "links",
    "owner",
    "who",
    "responsible",
    "assignee",
    "team",
    "role",
    "result",
    "expected",
    "notizen",
    "bemerkungen",
    "remarques",
    "notas",
    "備考",
    "备注",
];

const TIME_HEADERS: &[&str] = &[
    "time", "when", "start", "zeit", "uhrzeit", "heure", "hora", "時刻", "时间",
];

/// Words that make a header one of durations wherever they are in it.
const DURATION_WORDS: &[&str] = &["duration", "dauer", "durée", "duración", "duração"];

const DURATION_HEADERS: &[&str] = &[
    "duration",
    "est",
    "est.",
    "estimate",
    "est. time",
    "estimated time",
    "dauer",
    "durée",
    "duración",
    "duração",
    "所要時間",
    "所要",
    "时长",
    "耗时",
];

/// Headers of a column of states, whose words (`Pending`, `Done`) are boxes.
const STATUS_HEADERS: &[&str] = &[
    "status", "state", "estado", "statut", "zustand", "状態", "状态",
];

/// States not done yet, and done, as a `Status` column writes them.
const OPEN_STATES: &[&str] = &[
    "pending",
    "todo",
    "to do",
    "not started",
    "not done",
    "offen",
    "ausstehend",
    "en attente",
    "à faire",
    "pendiente",
    "pendente",
    "未着手",
    "未完了",
    "未完成",
    "待办",
    "⏳",
    "no",
    "nein",
    "non",
    "não",
];
const DONE_STATES: &[&str] = &[
    "done",
    "complete",
    "completed",
    "finished",
    "erledigt",
    "fait",
    "terminé",
    "hecho",
    "completado",
    "feito",
    "concluído",
    "完了",
    "已完成",
    "x",
    "yes",
    "ja",
    "oui",
    "sí",
    "si",
    "sim",
];

/// A cell's box: `Some(ticked)` for a box, `None` for anything else (an empty cell included).
/// In a column of states (`states`), the words of a state are boxes too.
pub(super) fn cell_box(cell: &str, states: bool) -> Option<bool> {
    let cell = cell.trim().trim_end_matches('\u{fe0f}');
    if OPEN.contains(&cell) {
        Some(false)
    } else if TICKED.contains(&cell) {
        Some(true)
    } else if states {
        let state = fold(cell);
        if OPEN_STATES.contains(&state.as_str()) {
            Some(false)
        } else {
            DONE_STATES.contains(&state.as_str()).then_some(true)
        }
    } else {
        None
    }
}

/// Whether a cell is a box that is one anywhere: open (`[ ]`, `☐`) or crossed (`[x]`, `☒`).
fn is_box(cell: &str) -> bool {
    let cell = cell.trim_end_matches('\u{fe0f}');
    OPEN.contains(&cell) || TICKED[..BOXES_ANYWHERE].contains(&cell)
}

/// How a column reads as one of boxes: by what its cells hold, strongest first. A table's
/// column of boxes is the one of the strongest kind, when it is the only one of that kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Evidence {
    /// Empty cells under a header such as `Done` or `✓`.
    Header,
    /// Words of a state (`Pending`, `Done`, `Yes`, `X`) under a `Status` or `Done` header, one
    /// of them not done (under `Done`, an empty cell is not done): a dashboard whose every row
    /// is `Complete` is a record, not a run.
    States,
    /// Boxes drawn in the cells (`[ ]`, `☐`, `[x]`), or check marks under a `Done` header or
    /// beside an open box.
    Boxes,
}

/// The layout of a table of tasks, or `None` when the table is not one: one column holds only
/// boxes and empty cells (see [`Evidence`]), no other as strongly, and every row has text
/// besides its box.
pub(super) fn layout(headers: &[String], rows: &[Vec<String>]) -> Option<Layout> {
    if rows.is_empty() || headers.len() < 2 {
        return None;
    }
    let folded: Vec<String> = headers.iter().map(|h| fold(h.trim())).collect();
    let ticks_header = |c: usize| TICK_HEADERS.contains(&folded[c].trim_end_matches([':', '?']));
    let states = |c: usize| STATUS_HEADERS.contains(&folded[c].as_str()) || ticks_header(c);
    let evidence = |c: usize| -> Option<Evidence> {
        let read: Vec<Option<bool>> = rows
            .iter()
            .map(|r| cell_box(cell(r, c), states(c)))
            .collect();
        let all = rows
            .iter()
            .zip(&read)
            .all(|(r, b)| b.is_some() || cell(r, c).is_empty());
        if !all {
            return None;
        }
        let drawn = rows.iter().any(|r| is_box(cell(r, c)));
        let marks = rows.iter().any(|r| cell_box(cell(r, c), false).is_some());
        if (drawn && !is_template(headers, rows, c)) || (marks && ticks_header(c)) {
            Some(Evidence::Boxes)
        } else if states(c)
            && (read.contains(&Some(false))
                || (ticks_header(c) && read.iter().any(Option::is_none)))
        {
            Some(Evidence::States)
        } else if ticks_header(c) && !marks && read.iter().all(Option::is_none) {
            Some(Evidence::Header)
        } else {
            None
        }
    };
    let found: Vec<(Evidence, usize)> = (0..headers.len())
        .filter_map(|c| evidence(c).map(|e| (e, c)))
        .collect();
    let strongest = found.iter().map(|(e, _)| *e).max()?;
    let mut of_it = found.iter().filter(|(e, _)| *e == strongest);
    let tick = of_it.next()?.1;
    if of_it.next().is_some() {
        return None;
    }
    if NOT_TICK_HEADERS.contains(&folded[tick].as_str()) {
        return None;
    }
    let others = || (0..headers.len()).filter(move |&c| c != tick);
    let main = main_column(&folded, rows, tick)?;
    // Every row names its task; a legend (`| ⬜ | Not started |`) names states, not tasks.
    if rows.iter().any(|r| cell(r, main).is_empty())
        || rows
            .iter()
            .all(|r| cell_box(cell(r, main), true).is_some() || is_state(cell(r, main)))
    {
        return None;
    }
    let header_in = |list: &[&str], c: usize| list.contains(&folded[c].as_str());
    let find = |list: &[&str]| others().find(|&c| c != main && header_in(list, c));
    // `Expected Duration`, `Dauer (min)`: a header with a word of duration in it.
    let duration = find(DURATION_HEADERS).or_else(|| {
        others().find(|&c| {
            c != main
                && folded[c]
                    .split(|ch: char| !ch.is_alphanumeric())
                    .any(|w| DURATION_WORDS.contains(&w))
        })
    });
    Some(Layout {
        tick,
        states: states(tick),
        main,
        time: find(TIME_HEADERS),
        duration,
    })
}

/// Whether the `[ ]` of column `c` are blanks of a template rather than boxes: the column is
/// not headed as one of boxes, none is ticked, and other cells are bracketed placeholders
/// too (`| Error rate | [crash tracker] | [< 0.5%] | [ ] |`).
fn is_template(headers: &[String], rows: &[Vec<String>], c: usize) -> bool {
    let header = fold(headers[c].trim());
    if TICK_HEADERS.contains(&header.as_str()) || STATUS_HEADERS.contains(&header.as_str()) {
        return false;
    }
    let open_brackets = rows.iter().all(|r| matches!(cell(r, c), "" | "[ ]" | "[]"));
    let placeholders = rows.iter().any(|r| {
        r.iter().enumerate().any(|(j, text)| {
            let text = text.trim();
            j != c && text.len() > 3 && text.starts_with('[') && text.ends_with(']')
        })
    });
    open_brackets && placeholders
}

/// The column whose text names the task: one headed `Task`, `Action`, `Step`… that holds more
/// than step numbers; else the first with text that is not a note, an owner or a number.
fn main_column(folded: &[String], rows: &[Vec<String>], tick: usize) -> Option<usize> {
    let numbers = |c: usize| rows.iter().all(|r| is_number(cell(r, c)));
    let candidates = || (0..folded.len()).filter(move |&c| c != tick && !numbers(c));
    let named = candidates().find(|&c| {
        let h = folded[c].as_str();
        TASK_HEADERS.iter().any(|t| {
            h == *t || h.strip_suffix('s') == Some(t) || h.strip_suffix(" description") == Some(t)
        })
    });
    named
        .or_else(|| candidates().find(|&c| !NOT_MAIN_HEADERS.contains(&folded[c].as_str())))
        .or_else(|| candidates().next())
}

/// The trimmed text of column `c` of a row; empty where the row is short.
fn cell(row: &[String], c: usize) -> &str {
    row.get(c).map_or("", |s| s.trim())
}

/// Whether a cell holds only a step number (`1`, `2.`, `#3`) or nothing.
fn is_number(cell: &str) -> bool {
    cell.trim_start_matches('#')
        .trim_end_matches(['.', ')'])
        .bytes()
        .all(|b| b.is_ascii_digit())
}

/// The duration written in a `Duration` cell (`15 min`, `1h`).
pub(super) fn cell_duration(cell: &str) -> Option<crate::model::Duration> {
    let cell = cell.trim();
    if cell.is_empty() || cell.chars().count() > 40 {
        return None;
    }
    parse_duration(cell)
}

/// The time written in a `Time` cell, when it is short enough to be one.
pub(super) fn cell_time(cell: &str) -> Option<String> {
    let cell = cell.trim();
    (!cell.is_empty() && cell.chars().count() <= 24 && cell.chars().any(|c| c.is_ascii_digit()))
        .then(|| cell.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(headers: &[&str], rows: &[&[&str]]) -> Option<Layout> {
        let headers: Vec<String> = headers.iter().map(|s| (*s).to_owned()).collect();
        let rows: Vec<Vec<String>> = rows
            .iter()
            .map(|r| r.iter().map(|s| (*s).to_owned()).collect())
            .collect();
        layout(&headers, &rows)
    }

    #[test]
    fn a_column_of_boxes_makes_a_table_of_tasks() {
        let got = table(
            &["#", "Action", "Owner", "Done", "Time"],
            &[
                &["1", "Stop the writers", "DBA", "[ ]", "09:00"],
                &["2", "Switch DNS", "SRE", "☑", ""],
            ],
        );
        assert_eq!(
            got,
            Some(Layout {
                tick: 3,
                states: true,
                main: 1,
                time: Some(4),
                duration: None
            })
        );
    }

    #[test]
    fn empty_cells_make_boxes_only_under_a_done_header() {
        let done = table(&["Step", "Owner", "Done"], &[&["Back up", "DBA", ""]]);
        assert_eq!(done.map(|l| (l.tick, l.main)), Some((2, 0)));
        assert_eq!(
            table(&["Step", "Owner", "Notes"], &[&["Back up", "DBA", ""]]),
            None
        );
    }

    #[test]
    fn the_main_cell_is_the_one_with_most_text_without_a_task_header() {
        let got = table(
            &["No", "Who", "Was", "✓"],
            &[
                &["1", "Ops", "Stop the writers and wait", "⬜"],
                &["2", "Ops", "Switch DNS", "⬜"],
            ],
        );
        assert_eq!(got.map(|l| (l.tick, l.main)), Some((3, 2)));
    }

    #[test]
    fn two_columns_of_boxes_are_a_matrix_not_tasks() {
        let got = table(
            &["Check", "Staging", "Production"],
            &[&["Smoke tests", "[ ]", "[ ]"]],
        );
        assert_eq!(got, None);
    }

    #[test]
    fn check_marks_alone_are_facts_unless_the_header_says_done() {
        let facts = table(
            &["Browser", "Supported"],
            &[&["Chrome", "✅"], &["Firefox", "✔"]],
        );
        assert_eq!(facts, None);
        let done = table(&["Step", "Done"], &[&["Back up", "✅"], &["Deploy", ""]]);
        assert_eq!(done.map(|l| l.tick), Some(1));
        let mixed = table(
            &["Step", "Status"],
            &[&["Back up", "✅"], &["Deploy", "⬜"]],
        );
        assert_eq!(mixed.map(|l| l.tick), Some(1));
    }

    /// A `Status` column of `Pending` and `Done` is one of boxes; of other words, it is not.
    #[test]
    fn states_under_a_status_header_are_boxes() {
        let got = table(
            &["Step", "Action", "Expected Duration", "Status"],
            &[
                &["1", "Stop the writers", "5 min", "Pending"],
                &["2", "Switch DNS", "", "Done"],
            ],
        );
        assert_eq!(
            got,
            Some(Layout {
                tick: 3,
                states: true,
                main: 1,
                time: None,
                duration: Some(2)
            })
        );
        let busy = table(
            &["Action", "Status"],
            &[&["Stop", "Pending"], &["Go", "Blocked"]],
        );
        assert_eq!(busy, None);
    }

    /// Review of real tables: check marks under `Status` (a feature list), a dashboard whose
    /// every row is done, and `[ ]` blanks of a template among other bracketed blanks are
    /// not tasks; a column of boxes wins over a `Status` column beside it; a Notes column is
    /// not the task's text; `X` and `No` under `Done` are boxes.
    #[test]
    fn tables_from_real_documents() {
        let features = table(
            &["Feature", "Status"],
            &[&["Tree building", "✅"], &["Export", "✅"]],
        );
        assert_eq!(features, None);
        let record = table(
            &["ADR", "Status"],
            &[&["0001", "Complete"], &["0002", "Done"]],
        );
        assert_eq!(record, None);
        let template = table(
            &["Metric", "Normal range", "Who's notified"],
            &[
                &["Error rate", "[< 0.5%]", "[ ]"],
                &["Latency", "[< 300 ms]", "[ ]"],
            ],
        );
        assert_eq!(template, None);
        let both = table(
            &["Done", "Task", "Status"],
            &[
                &["✅", "Implement sink", "done"],
                &["⬜", "Write docs", "pending"],
            ],
        );
        assert_eq!(both.map(|l| (l.tick, l.main)), Some((0, 1)));
        let notes = table(
            &["Image", "Notes", "✓"],
            &[&[
                "pgbouncer",
                "Postgres pooler in front of the primary",
                "[ ]",
            ]],
        );
        assert_eq!(notes.map(|l| l.main), Some(0));
        let words = table(
            &["Done", "Task"],
            &[&["X", "Read entries"], &["No", "Phone test"]],
        );
        assert_eq!(
            words.map(|l| (l.tick, l.main, l.states)),
            Some((0, 1, true))
        );
        // Under `Done`, an empty cell is a task not done yet.
        let crosses = table(&["Done", "Task"], &[&["X", "Read entries"], &["", "Write"]]);
        assert_eq!(crosses.map(|l| l.tick), Some(0));
        assert_eq!(cell_box("X", true), Some(true));
        assert_eq!(cell_box("No", true), Some(false));
    }

    /// Review: a legend of symbols, a table of ports whose status is `Open`, a table of
    /// options with a `Default` column of boxes, and a row with no task are not tasks.
    #[test]
    fn legends_options_and_nameless_rows_are_not_tasks() {
        let legend = table(
            &["Symbol", "Meaning"],
            &[&["⬜", "Not started"], &["✅", "Done"]],
        );
        assert_eq!(legend, None);
        let ports = table(&["Port", "Service", "Status"], &[&["22", "ssh", "Open"]]);
        assert_eq!(ports, None);
        let options = table(
            &["Option", "Default"],
            &[&["--force", "[ ]"], &["--dry-run", "[x]"]],
        );
        assert_eq!(options, None);
        let nameless = table(
            &["#", "Task", "Owner", "Done"],
            &[&["1", "Back up", "DBA", "[ ]"], &["2", "", "SRE", "[x]"]],
        );
        assert_eq!(nameless, None);
    }

    #[test]
    fn a_row_of_only_a_box_is_no_task() {
        assert_eq!(
            table(&["Task", "Done"], &[&["Back up", "[ ]"], &["", "[ ]"]]),
            None
        );
    }

    #[test]
    fn boxes_read_ticked_or_not() {
        assert_eq!(cell_box(" [x] ", false), Some(true));
        assert_eq!(cell_box("✔️", false), Some(true));
        assert_eq!(cell_box("☐", false), Some(false));
        assert_eq!(cell_box("Yes", false), None);
        assert_eq!(cell_box("", false), None);
        assert_eq!(cell_box("Pending", false), None);
        assert_eq!(cell_box("Pending", true), Some(false));
        assert_eq!(cell_box("Done", true), Some(true));
    }
}
