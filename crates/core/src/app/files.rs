//! Files this app wrote: the only files "Open file" and "Show in folder" act on.

use std::path::{Path, PathBuf};

use super::AppCore;
use crate::error::Result;
use crate::pricelist::snapshot;

impl AppCore {
    /// Note that this app wrote `path` (a changes, invoice-line, notes or subscription export),
    /// so the window may open or reveal it. Price-list exports are on record in the store.
    pub(crate) fn remember_written(&self, path: &Path) {
        self.written
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(path.to_path_buf());
    }

    /// `path`, if this app wrote it (a price-list export on record, or another export of this
    /// session) and it is still there. The window opens or reveals only such files.
    pub async fn written_file(&self, path: &str) -> Result<PathBuf> {
        let p = PathBuf::from(path);
        let known = self
            .written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(&p)
            || snapshot::was_exported(&self.connection().await?.store, path)?;
        if !known {
            return Err(crate::message::Message::NotAnExport {
                path: path.to_string(),
            }
            .refused());
        }
        if !p.is_file() {
            return Err(crate::message::Message::ExportedFileMissing {
                path: path.to_string(),
            }
            .not_found());
        }
        Ok(p)
    }
}
