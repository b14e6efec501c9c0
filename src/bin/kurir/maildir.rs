//! Accepted mail as files, one per message and mailbox, so tests and learners can open them.
//!
//! `DIR/<recipient>/<queue id>.eml` holds a delivery (local, or where the simulated world's
//! relay landed it); `DIR/outbound/<queue id>.eml` a message for another domain that the world
//! could not take. A file appears whole: it is written under a
//! temporary name and then linked into place, and an existing file is never overwritten (a
//! restarted server reuses queue ids, so a clash gets a `-2`, `-3` … suffix).

use std::fs;
use std::io::{self, ErrorKind, Write};
use std::path::{Path, PathBuf};

/// The folder for mail for other domains that serve's world could not take.
pub const OUTBOUND_FOLDER: &str = "outbound";

/// A directory of mailbox folders.
#[derive(Clone)]
pub struct MailDir {
    root: PathBuf,
}

impl MailDir {
    /// Uses `root`, creating it if needed.
    pub fn open(root: PathBuf) -> io::Result<Self> {
        fs::create_dir_all(&root)?;
        Ok(Self { root })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Stores `content` in `folder` under the message's queue id; returns the file's path.
    pub fn store(&self, folder: &str, queue_id: &str, content: &[u8]) -> io::Result<PathBuf> {
        check_file_name(folder)?;
        check_file_name(queue_id)?;
        let dir = self.root.join(folder);
        fs::create_dir_all(&dir)?;
        let partial = dir.join(format!(".{queue_id}.partial"));
        write_and_sync(&partial, content)?;
        let stored = link_under_free_name(&partial, &dir, queue_id);
        let _ = fs::remove_file(&partial);
        stored
    }
}

/// The folder name for a recipient: the address in lower case (domains are case-insensitive
/// and the world's users are lower case).
pub fn mailbox_folder(recipient: &str) -> String {
    recipient.to_ascii_lowercase()
}

/// Refuses names that would leave the folder or hide in it: `..`, `a/b`, `.x`, empty.
fn check_file_name(name: &str) -> io::Result<()> {
    let unsafe_name = name.is_empty() || name.starts_with('.') || name.contains(['/', '\\', '\0']);
    if unsafe_name {
        return Err(io::Error::new(
            ErrorKind::InvalidInput,
            format!("`{name}` cannot be a file name"),
        ));
    }
    Ok(())
}

fn write_and_sync(path: &Path, content: &[u8]) -> io::Result<()> {
    let mut file = fs::File::create(path)?;
    file.write_all(content)?;
    file.sync_all()
}

fn link_under_free_name(partial: &Path, dir: &Path, queue_id: &str) -> io::Result<PathBuf> {
    for attempt in 1u32.. {
        let name = match attempt {
            1 => format!("{queue_id}.eml"),
            n => format!("{queue_id}-{n}.eml"),
        };
        let path = dir.join(name);
        match fs::hard_link(partial, &path) {
            Ok(()) => return Ok(path),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    unreachable!("u32 attempts are never exhausted before a free name")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn scratch_dir() -> MailDir {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "kurir-maildir-unit-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let root = std::env::temp_dir().join(name);
        let _ = fs::remove_dir_all(&root);
        MailDir::open(root).expect("temp dir")
    }

    #[test]
    fn a_message_is_stored_whole_under_its_queue_id() {
        let dir = scratch_dir();
        let path = dir
            .store("budi@beta.example", "Q1", b"Return-Path: <>\r\nbody\r\n")
            .unwrap();
        assert_eq!(path, dir.root().join("budi@beta.example/Q1.eml"));
        assert_eq!(fs::read(&path).unwrap(), b"Return-Path: <>\r\nbody\r\n");
        assert_eq!(
            fs::read_dir(path.parent().unwrap()).unwrap().count(),
            1,
            "no partial file left behind"
        );
        fs::remove_dir_all(dir.root()).unwrap();
    }

    #[test]
    fn an_existing_file_is_never_overwritten() {
        let dir = scratch_dir();
        let first = dir.store("outbound", "Q1", b"first").unwrap();
        let second = dir.store("outbound", "Q1", b"second").unwrap();
        assert_eq!(second, dir.root().join("outbound/Q1-2.eml"));
        assert_eq!(fs::read(first).unwrap(), b"first");
        fs::remove_dir_all(dir.root()).unwrap();
    }

    #[test]
    fn names_that_escape_the_folder_are_refused() {
        let dir = scratch_dir();
        for folder in ["..", "../x", "a/b", ".hidden", ""] {
            assert!(dir.store(folder, "Q1", b"x").is_err(), "{folder:?}");
        }
        assert!(dir.store("budi@beta.example", "../Q1", b"x").is_err());
        fs::remove_dir_all(dir.root()).unwrap();
    }

    #[test]
    fn folders_are_lower_case_addresses() {
        assert_eq!(mailbox_folder("Budi@Beta.Example"), "budi@beta.example");
    }
}
