//! AD/ART-level configuration: eligibility, admission deadline, voting rights.
//!
//! Every regulated or AD-specific number is a field with the documented default (domain notes
//! §1.1, §1.3); nothing is a hidden constant.

use core::fmt;

use crate::nik::CenturyRule;
use crate::village::VillageCode;

/// Who may become a member (domain notes §1.1; UU 25/1992 Pasal 18).
///
/// Defaults: WNI only, age ≥ 17 *or* married, not under guardianship, no domicile rule,
/// anggota luar biasa allowed (and exempt from the WNI and domicile rules).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct EligibilityRules {
    /// Only Indonesian citizens (WNI). Default `true`.
    pub require_citizen: bool,
    /// Minimum age in whole years on the registration date; `None` for no age rule.
    /// Default `Some(17)`.
    pub min_age: Option<u32>,
    /// A married applicant is adult whatever the age (press summaries of the KDMP rules).
    /// Default `true`.
    pub married_counts_as_adult: bool,
    /// Persons under guardianship (perwalian) cannot perform legal acts. Default `true`.
    pub reject_under_guardianship: bool,
    /// The village/kelurahan members must be domiciled in (KDMP/KKMP, PMK 49/2025); `None`
    /// for no domicile rule. Default `None`; [`MembershipRules::kdmp`] sets it.
    pub domicile: Option<VillageCode>,
    /// The AD admits anggota luar biasa (Pasal 18(2)). Default `true`.
    pub allow_associates: bool,
    /// Anggota luar biasa are exempt from the WNI rule. Default `true`.
    pub associates_exempt_citizenship: bool,
    /// Anggota luar biasa are exempt from the domicile rule. Default `true`.
    pub associates_exempt_domicile: bool,
}

impl Default for EligibilityRules {
    fn default() -> Self {
        EligibilityRules {
            require_citizen: true,
            min_age: Some(17),
            married_counts_as_adult: true,
            reject_under_guardianship: true,
            domicile: None,
            allow_associates: true,
            associates_exempt_citizenship: true,
            associates_exempt_domicile: true,
        }
    }
}

/// From when the calon anggota's admission deadline runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum DeadlineAnchor {
    /// From registration as calon anggota (default): pokok must be paid and the person admitted
    /// within the deadline.
    #[default]
    Registration,
    /// From payment of simpanan pokok (the ART wording "within 3 months after paying simpanan
    /// pokok").
    PokokPayment,
}

/// How a calon anggota becomes anggota (domain notes §1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct AdmissionRules {
    /// Months allowed for admission; `None` for no deadline. Default `Some(3)`.
    pub deadline_months: Option<u32>,
    /// Where the deadline runs from. Default [`DeadlineAnchor::Registration`].
    pub anchor: DeadlineAnchor,
}

impl Default for AdmissionRules {
    fn default() -> Self {
        AdmissionRules {
            deadline_months: Some(3),
            anchor: DeadlineAnchor::Registration,
        }
    }
}

/// All membership rules of one cooperative (its AD/ART as configuration).
///
/// ```
/// use koperasi_membership::{MembershipRules, VillageCode};
/// let mut rules = MembershipRules::kdmp("35.74.01.1001".parse::<VillageCode>()?);
/// rules.eligibility.min_age = Some(18); // this AD says 18
/// rules.admission.deadline_months = Some(6);
/// assert!(rules.eligibility.domicile.is_some());
/// # Ok::<(), koperasi_membership::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct MembershipRules {
    /// Who may become a member.
    pub eligibility: EligibilityRules,
    /// Calon anggota → anggota.
    pub admission: AdmissionRules,
    /// How the NIK birth-year century is chosen when cross-checking the KTP birth date.
    pub century: CenturyRule,
    /// Anggota luar biasa vote in the Rapat Anggota (AD-defined rights). Default `false`.
    pub associates_may_vote: bool,
}

impl MembershipRules {
    /// The KDMP/KKMP rules: the defaults plus domicile in `village`.
    pub fn kdmp(village: VillageCode) -> MembershipRules {
        let mut r = MembershipRules::default();
        r.eligibility.domicile = Some(village);
        r
    }
}

/// Why an applicant is not eligible.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Ineligibility {
    /// Not an Indonesian citizen (WNI).
    NotCitizen,
    /// Younger than the minimum age and not married.
    TooYoung {
        /// Age on the registration date.
        age: u32,
        /// The minimum.
        min_age: u32,
    },
    /// Birth date after the registration date.
    NotBorn,
    /// Under guardianship (perwalian).
    UnderGuardianship,
    /// Domiciled outside the cooperative's village/kelurahan.
    DomicileMismatch {
        /// The applicant's domicile.
        domicile: VillageCode,
        /// The cooperative's village.
        required: VillageCode,
    },
    /// The AD does not admit anggota luar biasa.
    AssociatesNotAllowed,
}

impl fmt::Display for Ineligibility {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ineligibility::NotCitizen => f.write_str("not an Indonesian citizen (WNI)"),
            Ineligibility::TooYoung { age, min_age } => {
                write!(
                    f,
                    "aged {age}, below the minimum age {min_age}, and not married"
                )
            }
            Ineligibility::NotBorn => f.write_str("birth date after the registration date"),
            Ineligibility::UnderGuardianship => f.write_str("under guardianship"),
            Ineligibility::DomicileMismatch { domicile, required } => {
                write!(f, "domiciled in {domicile}, not in {required}")
            }
            Ineligibility::AssociatesNotAllowed => {
                f.write_str("the AD does not admit anggota luar biasa")
            }
        }
    }
}
