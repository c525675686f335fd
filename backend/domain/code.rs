//! Closed sets of codes stored as text (roles, statuses, kinds): one trait instead of a
//! hand-written parser per enum.

/// An enum whose variants are stored and sent as stable snake_case codes.
pub trait Code: Sized + Copy + 'static {
    const ALL: &'static [Self];
    fn as_str(self) -> &'static str;

    fn from_code(text: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.as_str() == text)
    }

    /// Reads a code back from the database, where a CHECK constraint or, for kinds the
    /// database no longer lists (notifications, follow-ups), this mapping guarantees it.
    fn from_stored(text: &str) -> anyhow::Result<Self> {
        Self::from_code(text).ok_or_else(|| anyhow::anyhow!("unexpected stored code `{text}`"))
    }
}
