//! A directory of its own per test, removed afterwards (the CLI tests that write files).

use std::path::PathBuf;

pub struct TempDir(pub PathBuf);

impl TempDir {
    /// `name` must be unique within the test binary; the process id keeps binaries apart.
    pub fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("elternkit-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        Self(dir)
    }

    /// Writes `content` to `name` in the directory and returns the file's path.
    pub fn file(&self, name: &str, content: impl AsRef<[u8]>) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, content).expect("write test file");
        path.to_str().expect("a UTF-8 temp path").to_owned()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
