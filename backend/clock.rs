//! The one door to "now". Real time in production; a settable clock in tests.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};

#[derive(Clone, Debug, Default)]
pub struct Clock {
    manual: Option<Arc<Mutex<DateTime<Utc>>>>,
}

impl Clock {
    pub fn system() -> Clock {
        Clock { manual: None }
    }

    /// A clock that stands still at `at` until set or advanced.
    pub fn manual(at: DateTime<Utc>) -> Clock {
        Clock {
            manual: Some(Arc::new(Mutex::new(at))),
        }
    }

    /// Now, in UTC, truncated to microseconds (what both databases keep).
    pub fn now(&self) -> NaiveDateTime {
        let now = match &self.manual {
            Some(at) => *at.lock().unwrap_or_else(|poisoned| poisoned.into_inner()),
            None => Utc::now(),
        };
        crate::timezone::truncate_micros(now.naive_utc())
    }

    /// Moves a manual clock forward; a system clock ignores it.
    pub fn advance(&self, by: TimeDelta) {
        if let Some(slot) = &self.manual {
            let mut at = slot.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            *at += by;
        }
    }
}
