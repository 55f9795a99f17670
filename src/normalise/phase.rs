//! Classifying sections into phases from their titles.
//!
//! A section's own title decides when it names a phase strongly (rollback, sign-off, contacts,
//! success criteria, verification, pre- or post-deployment), except that checks under a
//! pre-deployment, sign-off or rollback section are a part of it. Otherwise it inherits its parent's
//! phase; only top-level sections (or those under an unclassified parent) use weaker words such
//! as "monitoring" or "deployment".

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use crate::model::Phase;

/// Strong cues: they decide the phase even inside a section of another phase.
const STRONG: &[(Phase, &[&str])] = &[
    (
        Phase::Rollback,
        &[
            "rollback",
            "roll back",
            "roll-back",
            "revert",
            "backout",
            "back out",
            "retour arrière",
            "reversión",
            "reversão",
            "marcha atrás",
            "zurückrollen",
            "rückfall",
            "vuelta atrás",
            "ロールバック",
            "切り戻し",
            "回滚",
        ],
    ),
    (
        Phase::SignOff,
        &[
            "sign-off",
            "sign off",
            "signoff",
            "sign-offs",
            "approval",
            "approvals",
            "signature",
            "freigabe",
            "abnahme",
            "aprobación",
            "aprobaciones",
            "aprovação",
            "aprovações",
            "autorización",
            "autorisation",
            "genehmigung",
            "承認",
            "审批",
            "签字",
        ],
    ),
    (
        Phase::Contacts,
        &[
            "contact",
            "escalation",
            "on-call",
            "on call",
            "who to call",
            "kontakt",
            "contato",
            "連絡先",
            "联系人",
        ],
    ),
    (
        Phase::SuccessCriteria,
        &[
            "success criteria",
            "definition of done",
            "acceptance criteria",
            "exit criteria",
            "critérios de sucesso",
            "criterios de éxito",
            "critères de succès",
            "erfolgskriterien",
            "success metrics",
            "métriques de succès",
            "métricas de éxito",
            "métricas de sucesso",
        ],
    ),
    (
        Phase::PreDeployment,
        &[
            "pre-deploy",
            "pre deploy",
            "predeploy",
            "before deploy",
            "prerequisite",
            "pre-requisite",
            "prerrequisito",
            "pré-requisito",
            "pre-requisito",
            "pré-requis",
            "prérequis",
            "voraussetzung",
            "前提条件",
            "pre-flight",
            "preflight",
            "pre-release",
            "pre release",
            "pre-launch",
            "pre launch",
            "before launch",
            "before release",
            "before go-live",
            "pre-migration",
            "pre migration",
            "before migration",
            "pre-cutover",
            "pre cutover",
            "before cutover",
            "pre-upgrade",
            "pre-implementation",
            "before implementation",
            "pre-execution",
            "before execution",
            "pre upgrade",
            "before upgrade",
            "pre-go-live",
            "pre go-live",
            "pre go live",
            "before go live",
            "before going live",
            "prior to go-live",
            "prior to launch",
            "prior to release",
            "prior to deployment",
            "pré-cutover",
            "pré-deploy",
            "pré-go-live",
            "pré-lançamento",
            "avant le lancement",
            "avant la mise en ligne",
            "antes do deploy",
            "antes del despliegue",
            "antes de la migración",
            "avant le déploiement",
            "avant chaque déploiement",
            "avant tout déploiement",
            "pre-despliegue",
            "predespliegue",
            "pré-corte",
            "antes del corte",
            "リリース準備",
            "デプロイ準備",
            "リリースの準備",
            "发布准备",
            "上线准备",
            "pré-déploiement",
            "pre-déploiement",
            "avant la mise en production",
            "vor dem deployment",
            "vor dem release",
            "vor der migration",
            "vor dem go-live",
            "vor dem rollout",
            "デプロイ前",
            "プリデプロイ",
            "リリース前",
            "事前",
            "部署前",
            "上线前",
            "実施前",
            "previas al despliegue",
            "previa al despliegue",
            "发布前",
        ],
    ),
    (
        Phase::PostDeployment,
        &[
            "post-deploy",
            "post deploy",
            "postdeploy",
            "after deploy",
            "post-release",
            "post release",
            "after release",
            "post-launch",
            "post launch",
            "after launch",
            "post-go-live",
            "post go-live",
            "post go live",
            "after go-live",
            "hypercare",
            "post-migration",
            "post migration",
            "after migration",
            "post-cutover",
            "post cutover",
            "after cutover",
            "after going live",
            "post-upgrade",
            "post-implementation",
            "after implementation",
            "post-execution",
            "after execution",
            "post upgrade",
            "after upgrade",
            "após o deploy",
            "pós-deploy",
            "pós-cutover",
            "pós-corte",
            "post-corte",
            "después del corte",
            "pós-go-live",
            "pós-lançamento",
            "pós-implantação",
            "después del despliegue",
            "après le déploiement",
            "post-déploiement",
            "après le lancement",
            "après la mise en production",
            "après la mise en ligne",
            "nach dem deployment",
            "nach dem release",
            "nach dem go-live",
            "nach dem rollout",
            "nach der migration",
            "デプロイ後",
            "リリース後",
            "事後",
            "部署后",
            "上线后",
            "実施後",
            "post-despliegue",
            "发布后",
        ],
    ),
    (
        Phase::Verification,
        &[
            "verification",
            "verify",
            "validation",
            "validate",
            "smoke test",
            "health check",
            "final check",
            "verificación",
            "verificaciones",
            "validaciones",
            "verificação",
            "verificações",
            "validações",
            "validación",
            "validação",
            "vérification",
            "überprüfung",
            "verifizierung",
            "動作確認",
            "最終確認",
            "検証",
            "验证",
        ],
    ),
];

/// Weak cues: used for top-level sections and under unclassified parents.
const WEAK: &[(Phase, &[&str])] = &[
    (
        Phase::PreDeployment,
        &[
            "preparation",
            "readiness",
            "prepare",
            "planning",
            "vorbereitung",
            "préparation",
            "preparación",
            "preparação",
            "準備",
            "准备",
        ],
    ),
    (
        Phase::Maintenance,
        &[
            "maintenance",
            "ongoing",
            "daily",
            "weekly",
            "monthly",
            "quarterly",
            "housekeeping",
        ],
    ),
    (
        Phase::Monitoring,
        &[
            "monitoring",
            "observability",
            "alerting",
            "monitor",
            "überwachung",
            "surveillance",
            "monitoreo",
            "monitoramento",
            "監視",
            "监控",
        ],
    ),
    (
        Phase::Deployment,
        &[
            "deployment",
            "deploy",
            "release",
            "rollout",
            "roll-out",
            "go-live",
            "go live",
            "cutover",
            "launch",
            "migration",
            "upgrade",
            "execution",
            "implementation",
            "hour-by-hour",
            "run of show",
            "run-of-show",
            "despliegue",
            "implantação",
            "corte",
            "déploiement",
            "lancement",
            "mise en production",
            "mise en ligne",
            "bereitstellung",
            "デプロイ",
            "リリース",
            "部署",
            "上线",
            "发布",
            "実施",
        ],
    ),
    (
        Phase::Reference,
        &[
            "reference",
            "notes",
            "appendix",
            "configuration",
            "environment variables",
            "template",
            "requirements",
            "timeline",
            "budget",
            "glossary",
            "resources",
            "support plan",
        ],
    ),
];

/// The cue words of `STRONG` then `WEAK` in one automaton, each word with the row it belongs to
/// (rows of `STRONG` first), so one pass over a title finds every cue.
static CUES: LazyLock<(AhoCorasick, Vec<usize>)> = LazyLock::new(|| {
    let rows = STRONG.iter().chain(WEAK);
    let (words, row_of): (Vec<&str>, Vec<usize>) = rows
        .enumerate()
        .flat_map(|(row, (_, words))| words.iter().map(move |w| (*w, row)))
        .unzip();
    let automaton =
        AhoCorasick::new(words).unwrap_or_else(|e| unreachable!("cue words are plain: {e}"));
    (automaton, row_of)
});

/// The phase named by a title, if any, and whether the cue was strong: the first row of
/// `STRONG`, then of `WEAK`, with a word the lower-cased title contains.
#[must_use]
pub(super) fn cue(title: &str) -> Option<(Phase, bool)> {
    let lower = lower_with_plain_hyphens(title);
    let (automaton, row_of) = &*CUES;
    // "On-call" names the people to call, unless the section is about the duty itself: an
    // on-call handover or procedure is a list of steps.
    let duty = [
        "handoff",
        "hand-off",
        "handover",
        "hand-over",
        "procedure",
        "shift",
        "outgoing",
        "incoming",
        "checklist",
        "duties",
        "responsibilities",
    ]
    .iter()
    .any(|w| lower.contains(w));
    // A maintenance mode, page or window is a part of a deployment, not upkeep.
    let deploying = ["maintenance mode", "maintenance page", "maintenance window"]
        .iter()
        .any(|w| lower.contains(w));
    // Each cue word that may name a thing is looked up once, however often it occurs.
    let mut things: Vec<(String, bool)> = Vec::new();
    let mut names_thing = |word: &str| {
        if let Some((_, thing)) = things.iter().find(|(w, _)| w == word) {
            return *thing;
        }
        let thing = names_a_thing(&lower, word);
        things.push((word.to_owned(), thing));
        thing
    };
    // Getting a rollback ready is done before deploying: `Rollback Preparation`.
    if ["rollback", "roll back", "roll-back"]
        .iter()
        .any(|w| lower.contains(w))
        && ["preparation", "readiness", "prepare "]
            .iter()
            .any(|w| lower.contains(w))
    {
        return Some((Phase::PreDeployment, true));
    }
    let row = automaton
        .find_overlapping_iter(&lower)
        .filter(|m| ends_a_word(&lower, m.end()))
        // `Configuration Backup` is work to do; `Configuration` alone is for reference.
        .filter(|m| &lower[m.range()] != "configuration" || names_only(title, Phase::Reference))
        .filter(|m| !(duty && matches!(&lower[m.range()], "on-call" | "on call")))
        .filter(|m| !(deploying && &lower[m.range()] == "maintenance"))
        .filter(|m| !names_thing(&lower[m.range()]))
        .map(|m| row_of[m.pattern().as_usize()])
        .min()?;
    Some(match STRONG.get(row) {
        Some((phase, _)) => (*phase, true),
        None => (WEAK[row - STRONG.len()].0, false),
    })
}

/// The title in lower case, its hyphens of other kinds (`Pre‑deployment` with a non-breaking
/// hyphen, `Pre–deployment` with a dash) plain ones, as cue words are written.
fn lower_with_plain_hyphens(title: &str) -> String {
    let lower = title.to_lowercase();
    if lower.is_ascii() {
        return lower;
    }
    lower.replace(
        ['\u{2010}', '\u{2011}', '\u{2012}', '\u{2013}', '\u{2212}'],
        "-",
    )
}

/// Endings that make a cue word another word: `reverted` commits were taken back long ago,
/// `prepared by` names who wrote a plan, `contactless` payments are no list of people. Other
/// endings keep it (`rollbacks`, `deploying`, `Kontakte`, `Freigabeprozess`).
const OTHER_WORD: &[&str] = &["ed", "d", "er", "r", "ers", "rs", "less", "able"];

/// Whether the word around a cue that ends at `end` of `lower` is that cue word rather than
/// another one (see `OTHER_WORD`).
fn ends_a_word(lower: &str, end: usize) -> bool {
    // The endings are short: a word that goes on past five letters is none of them.
    let rest = &lower.as_bytes()[end..];
    let len = rest
        .iter()
        .take(6)
        .position(|b| !b.is_ascii_alphabetic())
        .unwrap_or(rest.len().min(6));
    !OTHER_WORD
        .iter()
        .any(|ending| ending.as_bytes() == &rest[..len])
}

/// Whether the cue word `word` names a thing of the product in this title rather than a phase:
/// a webhook's or a package's signature, a contact form, an approval workflow to test, the
/// execution of a test or a restore.
fn names_a_thing(lower: &str, word: &str) -> bool {
    let has_word = |w: &str| {
        lower
            .split(|c: char| !c.is_alphanumeric())
            .any(|x| x == w || x.strip_suffix('s') == Some(w))
    };
    match word {
        "signature" => [
            "webhook",
            "package",
            "gpg",
            "pgp",
            "commit",
            "artifact",
            "image",
            "hmac",
            "jwt",
            "binary",
            "container",
            "cosign",
            "sigstore",
            "checksum",
        ]
        .iter()
        .any(|w| has_word(w)),
        "contact" => ["contact form", "contact page"]
            .iter()
            .any(|t| lower.contains(t)),
        // The execution of a test, a restore or a failover is not the deployment's.
        "execution" => [
            "test",
            "testing",
            "restore",
            "restoration",
            "recovery",
            "incident",
            "failover",
            "failback",
            "drill",
            "rollback",
        ]
        .iter()
        .any(|w| has_word(w)),
        // An approval workflow to test is a feature; `Approval workflow` alone is the sign-off.
        "approval" => {
            ["approval workflow", "approval flow"]
                .iter()
                .any(|t| lower.contains(t))
                && (has_word("test") || has_word("regression"))
        }
        _ => false,
    }
}

/// Whether a short text names a rollback (`Rollback instructions`, `Roll back:`), as the
/// summary of a `<details>` block, the title of a quote or a line introducing steps.
#[must_use]
pub fn names_rollback(text: &str) -> bool {
    text.chars().count() <= 80 && matches!(cue(text), Some((Phase::Rollback, _)))
}

/// The phase of a section titled `title` under a parent of phase `parent` (`None` at top level).
/// A strong cue always wins. A weak one wins over the parent's phase only when the parent is a
/// list of checks rather than a stage of the deployment (verification, success criteria) and the
/// title is nothing but the phase's name (`Deployment`, `Monitoring`, `Deployment Steps`): the
/// stages a runbook lists under a `Final Checklist`. Under a stage, a child is a part of it:
/// `Monitoring` under a pre-deployment checklist is checked before deploying.
#[must_use]
pub(super) fn classify(title: &str, parent: Option<Phase>, default: Phase) -> Phase {
    let inherited = parent.filter(|p| !matches!(p, Phase::Other | Phase::Reference));
    match (cue(title), inherited) {
        (Some((Phase::Verification, true)), Some(parent)) if checks_its_own(parent) => parent,
        (Some((phase, true)), _) | (Some((phase, false)), None) => phase,
        (Some((phase, false)), Some(parent))
            if holds_stages(parent) && phase != Phase::Reference && names_only(title, phase) =>
        {
            phase
        }
        (None | Some(_), Some(parent)) => parent,
        (None, None) => parent.unwrap_or(default),
    }
}

/// Phases whose checks are a part of them: `Environment Validation` under a pre-migration
/// checklist is checked before migrating, `Technical Validation` under a sign-off is a part of
/// the approval, `Verify the rollback` under a rollback is a step of rolling back.
fn checks_its_own(phase: Phase) -> bool {
    matches!(
        phase,
        Phase::PreDeployment | Phase::SignOff | Phase::Rollback
    )
}

/// Phases that check a deployment rather than being a stage of it, whose sub-sections may be
/// stages. Under sign-off or contacts, a `Deployment` sub-section is whom to call or who signs
/// for the deployment, and keeps its parent's phase.
fn holds_stages(phase: Phase) -> bool {
    matches!(phase, Phase::Verification | Phase::SuccessCriteria)
}

/// Words that say nothing about what a section is about (`Deployment Steps`, `Phase 2`).
const GENERIC: &[&str] = &[
    "steps",
    "step",
    "tasks",
    "task",
    "checklist",
    "checks",
    "phase",
    "stage",
    "process",
    "procedure",
    "procedures",
    "plan",
    "activities",
    "day",
    "items",
    "the",
    "and",
    "of",
];

/// Whether `title` is only a weak cue word of `phase`, with generic words and numbers.
fn names_only(title: &str, phase: Phase) -> bool {
    let mut rest = title.to_lowercase();
    for (_, words) in WEAK.iter().filter(|(p, _)| *p == phase) {
        for word in *words {
            rest = rest.replace(word, " ");
        }
    }
    rest.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .all(|w| GENERIC.contains(&w) || w.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The definition `cue` implements: rows in order, first row with a word the title holds
    /// (as a word, not inside another, and not naming a thing of the product) wins.
    fn cue_by_scan(title: &str) -> Option<(Phase, bool)> {
        let lower = lower_with_plain_hyphens(title);
        let whole = |w: &str| {
            lower
                .match_indices(w)
                .any(|(at, _)| ends_a_word(&lower, at + w.len()) && !names_a_thing(&lower, w))
        };
        let find = |table: &[(Phase, &[&str])]| {
            table
                .iter()
                .find(|(_, words)| words.iter().any(|w| whole(w)))
                .map(|(p, _)| *p)
        };
        find(STRONG)
            .map(|p| (p, true))
            .or_else(|| find(WEAK).map(|p| (p, false)))
    }

    proptest! {
        #[test]
        fn one_pass_cue_agrees_with_the_scan(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("Rollback"), Just("Deploy"), Just("post-deploy"), Just("Sign Off"),
                    Just("Monitoring"), Just("Notes"), Just("verify"), Just("Pre-Flight"),
                    Just("on call"), Just("Release"), Just("Step"), Just("Database"), Just("✅"),
                    Just("Reverted"), Just("signatures"), Just("webhook"), Just("ing"),
                ],
                0..5,
            )
        ) {
            let title = parts.join(" ");
            prop_assert_eq!(cue(&title), cue_by_scan(&title), "{}", title);
        }
    }

    #[test]
    fn top_level_titles() {
        let top = |t| classify(t, None, Phase::Other);
        assert_eq!(top("Pre-Deployment Checklist"), Phase::PreDeployment);
        assert_eq!(top("DEPLOYMENT STEPS"), Phase::Deployment);
        assert_eq!(top("Post-Deployment"), Phase::PostDeployment);
        assert_eq!(top("Rollback Procedure"), Phase::Rollback);
        assert_eq!(top("Ongoing Maintenance"), Phase::Maintenance);
        assert_eq!(top("Sign-offs Required"), Phase::SignOff);
        assert_eq!(top("EMERGENCY CONTACTS"), Phase::Contacts);
        assert_eq!(top("SUCCESS CRITERIA"), Phase::SuccessCriteria);
        assert_eq!(top("Monitoring Setup"), Phase::Monitoring);
        assert_eq!(top("Environment Variables Template"), Phase::Reference);
        assert_eq!(top("Final Notes"), Phase::Reference);
        assert_eq!(top("Budget Estimate"), Phase::Reference);
        assert_eq!(top("Invoice-Discounting Platform"), Phase::Other);
    }

    /// Regression: prefixes and words of other languages (`Pre-despliegue`, `リリース準備`,
    /// `Avant chaque déploiement`, `Pós-corte`, `Métriques de succès`) fell to the deployment
    /// or to no phase.
    #[test]
    fn stages_named_in_other_languages() {
        let top = |t| classify(t, None, Phase::Other);
        assert_eq!(top("Pre-despliegue"), Phase::PreDeployment);
        assert_eq!(top("リリース準備"), Phase::PreDeployment);
        assert_eq!(
            top("Quick Checklist (Avant chaque déploiement)"),
            Phase::PreDeployment
        );
        assert_eq!(top("Fase 9 — Pós-corte"), Phase::PostDeployment);
        assert_eq!(top("Fase 8 — Homologação final e corte"), Phase::Deployment);
        assert_eq!(top("📊 Métriques de succès"), Phase::SuccessCriteria);
    }

    /// Regression: `Pre-Go-Live Checklist` was the deployment itself, and titles in other
    /// languages than English had no phase, so a Japanese guide was all `other`.
    #[test]
    fn go_live_and_other_languages() {
        let top = |t| classify(t, None, Phase::Other);
        assert_eq!(top("Pre-Go-Live Checklist"), Phase::PreDeployment);
        assert_eq!(top("Antes do Deploy"), Phase::PreDeployment);
        assert_eq!(top("Avant le déploiement"), Phase::PreDeployment);
        // Regression: French titles with accents were read as the deployment itself.
        assert_eq!(top("🚀 Pré-Déploiement"), Phase::PreDeployment);
        assert_eq!(top("📊 Post-Déploiement"), Phase::PostDeployment);
        assert_eq!(top("Nach dem Release"), Phase::PostDeployment);
        assert_eq!(
            top("Vorbereitung Go-Live (vor 02.03.2026)"),
            Phase::PreDeployment
        );
        assert_eq!(top("⏰ 1. Pré-Cutover"), Phase::PreDeployment);
        assert_eq!(top("🧪 4. Testes Pós-Deploy"), Phase::PostDeployment);
        assert_eq!(top("Avant le Lancement"), Phase::PreDeployment);
        assert_eq!(top("Au moment du lancement"), Phase::Deployment);
        assert_eq!(top("Après le lancement"), Phase::PostDeployment);
        assert_eq!(top("2. 发布步骤执行记录"), Phase::Deployment);
        assert_eq!(top("Verificaciones Técnicas"), Phase::Verification);
        assert_eq!(
            top("Security Checklist Before Going Live"),
            Phase::PreDeployment
        );
        // Regression: the tasks of an on-call handoff were read as a list of contacts.
        assert_eq!(top("Outgoing On-Call"), Phase::Other);
        assert_eq!(top("On-Call Contacts"), Phase::Contacts);
        // Regression: a maintenance mode or window was read as recurring upkeep.
        assert_eq!(top("Enable HTTP Maintenance Mode"), Phase::Other);
        assert_eq!(top("Maintenance Window"), Phase::Other);
        assert_eq!(top("Weekly Maintenance"), Phase::Maintenance);
        assert_eq!(top("デプロイ前の確認"), Phase::PreDeployment);
        assert_eq!(top("ロールバック手順"), Phase::Rollback);
        assert_eq!(top("Retour arrière"), Phase::Rollback);
        assert_eq!(top("承認"), Phase::SignOff);
        assert_eq!(top("Freigabe"), Phase::SignOff);
        assert_eq!(top("Kontakte"), Phase::Contacts);
        assert_eq!(top("Verificación"), Phase::Verification);
        assert_eq!(top("Despliegue"), Phase::Deployment);
        assert_eq!(top("Validación funcional"), Phase::Verification);
        assert_eq!(top("Reversão do deploy"), Phase::Rollback);
        assert_eq!(top("リリース後の確認"), Phase::PostDeployment);
    }

    /// Regression: cue words inside other words and names of things of the product gave
    /// phases: `Reverted commits` a rollback, `Verify package signatures` a sign-off, `Test the
    /// contact form` contacts, and `Execution Timeline` was reference; a non-breaking hyphen
    /// hid `Pre‑deployment`.
    #[test]
    fn cues_are_whole_words_that_name_a_phase() {
        let top = |t| classify(t, None, Phase::Other);
        assert_eq!(top("Reverted commits"), Phase::Other);
        assert_eq!(top("Reverting the release"), Phase::Rollback);
        assert_eq!(top("Rollbacks"), Phase::Rollback);
        assert_eq!(top("Verify package signatures"), Phase::Verification);
        assert_eq!(
            top("Webhook signature / idempotency incident"),
            Phase::Other
        );
        assert_eq!(top("Signatures"), Phase::SignOff);
        assert_eq!(top("Test the contact form"), Phase::Other);
        assert_eq!(top("Emergency contacts"), Phase::Contacts);
        assert_eq!(top("Approval workflow regression tests"), Phase::Other);
        assert_eq!(top("Approvals"), Phase::SignOff);
        assert_eq!(top("Approval workflow"), Phase::SignOff);
        assert_eq!(top("Contact us"), Phase::Contacts);
        assert_eq!(top("Change Advisory Committee signatures"), Phase::SignOff);
        assert_eq!(top("Final Verification & Signatures"), Phase::SignOff);
        assert_eq!(top("Contactless payments"), Phase::Other);
        assert_eq!(top("Prepared by"), Phase::Other);
        assert_eq!(top("Freigabeprozess"), Phase::SignOff);
        assert_eq!(top("Execution Timeline"), Phase::Deployment);
        assert_eq!(top("Database Restoration Execution"), Phase::Other);
        assert_eq!(top("Test Execution Results"), Phase::Other);
        assert_eq!(
            top("Wave Execution Timeline (4-Hour Window)"),
            Phase::Deployment
        );
        assert_eq!(top("Implementation Steps"), Phase::Deployment);
        assert_eq!(top("Post-Implementation Review"), Phase::PostDeployment);
        assert_eq!(top("Checks before execution"), Phase::PreDeployment);
        assert_eq!(top("Project Timeline"), Phase::Reference);
        assert_eq!(top("Pre\u{2011}deployment checks"), Phase::PreDeployment);
        assert_eq!(top("Pre\u{2011}requisites"), Phase::PreDeployment);
        assert_eq!(top("Deploying"), Phase::Deployment);
        assert_eq!(top("ロールバック手順"), Phase::Rollback);
        assert_eq!(top("Rückfallplan"), Phase::Rollback);
        assert_eq!(top("Plan de vuelta atrás"), Phase::Rollback);
        assert_eq!(top("Critérios de Sucesso"), Phase::SuccessCriteria);
        assert_eq!(top("検証手順"), Phase::Verification);
        assert_eq!(top("前提条件"), Phase::PreDeployment);
    }

    #[test]
    fn a_child_named_only_by_a_stage_takes_that_stage() {
        let verify = Some(Phase::Verification);
        assert_eq!(
            classify("Deployment", verify, Phase::Other),
            Phase::Deployment
        );
        assert_eq!(
            classify("Deployment Steps", verify, Phase::Other),
            Phase::Deployment
        );
        assert_eq!(
            classify("Monitoring", verify, Phase::Other),
            Phase::Monitoring
        );
        assert_eq!(
            classify("Phase 2: Deploy", verify, Phase::Other),
            Phase::Deployment
        );
        assert_eq!(
            classify("Deployment Notes", verify, Phase::Other),
            Phase::Verification
        );
        assert_eq!(classify("Notes", verify, Phase::Other), Phase::Verification);
        let pre = Some(Phase::PreDeployment);
        assert_eq!(
            classify("Monitoring & Observability", pre, Phase::Other),
            Phase::PreDeployment
        );
    }

    #[test]
    fn post_release_and_launch_titles() {
        let top = |t| classify(t, None, Phase::Other);
        assert_eq!(top("Post Release:"), Phase::PostDeployment);
        assert_eq!(top("Post-Launch Tasks"), Phase::PostDeployment);
        assert_eq!(top("Pre-Launch Checklist"), Phase::PreDeployment);
        assert_eq!(top("Hypercare"), Phase::PostDeployment);
    }

    /// Regression: an on-call handover checklist was filed under contacts, and a migration's
    /// pre- and post- stages under no phase.
    #[test]
    fn on_call_duties_and_migration_stages() {
        let top = |t| classify(t, None, Phase::Other);
        assert_eq!(top("On-Call Handoff Checklist"), Phase::Other);
        assert_eq!(top("On-call procedures"), Phase::Other);
        assert_eq!(top("On-call"), Phase::Contacts);
        assert_eq!(top("Escalation procedure"), Phase::Contacts);
        assert_eq!(top("Ongoing shift checks"), Phase::Maintenance);
        assert_eq!(top("Pre-Migration Checklist"), Phase::PreDeployment);
        assert_eq!(top("Post-migration validation"), Phase::PostDeployment);
        assert_eq!(top("Data Migration"), Phase::Deployment);
    }

    /// Regression: checks under a pre-migration checklist, a sign-off or a rollback were filed
    /// under verification, leaving the sign-off with no tasks.
    #[test]
    fn checks_under_a_stage_that_checks_are_part_of_it() {
        for parent in [Phase::PreDeployment, Phase::SignOff, Phase::Rollback] {
            assert_eq!(
                classify("Environment Validation", Some(parent), Phase::Other),
                parent
            );
            assert_eq!(classify("Verify", Some(parent), Phase::Other), parent);
        }
        let deployment = Some(Phase::Deployment);
        assert_eq!(
            classify("Verification", deployment, Phase::Other),
            Phase::Verification
        );
    }

    #[test]
    fn children_inherit_unless_strongly_named() {
        let pre = Some(Phase::PreDeployment);
        assert_eq!(
            classify("Monitoring Setup", pre, Phase::Other),
            Phase::PreDeployment
        );
        assert_eq!(
            classify("Security", pre, Phase::Other),
            Phase::PreDeployment
        );
        let dep = Some(Phase::Deployment);
        assert_eq!(
            classify("Pre-Deployment (T-2 hours)", dep, Phase::Other),
            Phase::PreDeployment
        );
        assert_eq!(
            classify("Post-Deployment Validation", dep, Phase::Other),
            Phase::PostDeployment
        );
        assert_eq!(
            classify("Step 6: Monitoring Verification", dep, Phase::Other),
            Phase::Verification
        );
        let reference = Some(Phase::Reference);
        assert_eq!(
            classify("Post-Deployment Validation", pre, Phase::Other),
            Phase::PostDeployment
        );
        assert_eq!(
            classify("PHP Extensions", reference, Phase::Other),
            Phase::Reference
        );
    }
}
