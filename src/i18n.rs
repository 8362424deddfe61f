//! The site language: Japanese first, English second.
//!
//! Messages are written inline as pairs with [`tr!`](crate::tr); this module
//! only knows which one to pick.

use serde::Deserialize;

/// UI and message language (`[site] language`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Ja,
    En,
}

impl Lang {
    /// Picks the Japanese or English text.
    pub fn pick<'a>(self, ja: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Ja => ja,
            Lang::En => en,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }
}

/// `tr!(lang, "日本語 {x}", "English {x}")` formats the message for `lang`;
/// both literals capture variables from the surrounding scope.
#[macro_export]
macro_rules! tr {
    ($lang:expr, $ja:literal, $en:literal $(, $arg:expr)* $(,)?) => {
        match $lang {
            $crate::i18n::Lang::Ja => format!($ja $(, $arg)*),
            $crate::i18n::Lang::En => format!($en $(, $arg)*),
        }
    };
}
