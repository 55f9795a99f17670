//! `preflight completions SHELL` and `preflight man`: shell completions and the man page,
//! generated from the command-line definition so they never drift from it.

use clap::CommandFactory;
use clap_complete::Shell;

use super::{Cli, Outcome, write_stdout};
use crate::error::Error;

/// Arguments of `completions`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  preflight completions bash > ~/.local/share/bash-completion/completions/preflight
  preflight completions zsh > ~/.zfunc/_preflight
  preflight completions fish > ~/.config/fish/completions/preflight.fish")]
pub(super) struct Args {
    /// The shell to complete for.
    #[arg(value_enum)]
    shell: Shell,
}

/// Runs `completions`.
pub(super) fn run(args: &Args) -> anyhow::Result<Outcome> {
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "preflight", &mut out);
    write_stdout(&out)?;
    Ok(Outcome::Success)
}

/// Arguments of `man`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  preflight man | man -l -
  preflight man --out share/man/man1   write preflight.1 and preflight-<command>.1")]
pub(super) struct ManArgs {
    /// Write a page per command into this folder instead of printing `preflight.1`.
    #[arg(long, value_name = "DIR")]
    out: Option<std::path::PathBuf>,
}

/// Runs `man`.
pub(super) fn man(args: &ManArgs) -> anyhow::Result<Outcome> {
    let command = Cli::command();
    let Some(dir) = &args.out else {
        let mut page = Vec::new();
        clap_mangen::Man::new(command).render(&mut page)?;
        write_stdout(&page)?;
        return Ok(Outcome::Success);
    };
    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.clone(),
        source,
    })?;
    let mut pages = vec![("preflight".to_owned(), command.clone())];
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("preflight-{}", sub.get_name());
        pages.push((name.clone(), sub.clone().name(name)));
    }
    // Pages from an earlier preflight are replaced; any other file of the same name is kept,
    // and then nothing is written.
    for (name, _) in &pages {
        let path = dir.join(format!("{name}.1"));
        if path.symlink_metadata().is_ok() && !is_our_page(&path, name) {
            return Err(Error::UnsafeOutput {
                path,
                message: "exists and is not a preflight manual page; refusing to replace it".into(),
            }
            .into());
        }
    }
    for (name, cmd) in pages {
        let mut page = Vec::new();
        clap_mangen::Man::new(cmd).render(&mut page)?;
        let path = dir.join(format!("{name}.1"));
        std::fs::write(&path, page).map_err(|source| Error::Write { path, source })?;
    }
    Ok(Outcome::Success)
}

/// Whether the file at `path` is the manual page `name` as preflight writes it.
fn is_our_page(path: &std::path::Path, name: &str) -> bool {
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let mut head = Vec::with_capacity(1024);
    if std::io::Read::read_to_end(&mut std::io::Read::take(file, 1024), &mut head).is_err() {
        return false;
    }
    String::from_utf8_lossy(&head)
        .lines()
        .any(|l| l.starts_with(&format!(".TH {name} ")))
}
