//! Members, their status and the lifecycle state machine.

use std::borrow::Cow;

use chrono::NaiveDate;
use koperasi_core::MemberId;

use crate::error::{Error, Result};
use crate::nik::{Gender, Nik};
use crate::village::VillageCode;

/// A member's status (domain notes §1.3–1.4).
///
/// ```text
///            admit (pokok paid, within the deadline)
/// Candidate ─────────────────────────────────────────► Member | Associate
///     │                                                   │
///     └──── resign / dismiss / death ◄────────────────────┘
///                     │
///                     ▼
///        Resigned | Dismissed | Deceased   (final)
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum MemberStatus {
    /// Calon anggota: registered, not yet admitted; no vote, cannot be elected.
    #[doc(alias = "calon anggota")]
    Candidate,
    /// Anggota: a full member (owner and user), one vote.
    #[doc(alias = "anggota")]
    Member,
    /// Anggota luar biasa: admitted with AD-defined rights (Pasal 18(2)).
    #[doc(alias = "anggota luar biasa")]
    Associate,
    /// Keluar atas permintaan sendiri (resigned).
    #[doc(alias = "keluar")]
    Resigned,
    /// Diberhentikan oleh pengurus (dismissed).
    #[doc(alias = "diberhentikan")]
    Dismissed,
    /// Meninggal dunia (deceased).
    #[doc(alias = "meninggal")]
    Deceased,
}

impl MemberStatus {
    /// All statuses, in this order (the index of [`StatusCounts`](crate::StatusCounts)).
    pub const ALL: [MemberStatus; 6] = [
        MemberStatus::Candidate,
        MemberStatus::Member,
        MemberStatus::Associate,
        MemberStatus::Resigned,
        MemberStatus::Dismissed,
        MemberStatus::Deceased,
    ];

    /// Position in [`MemberStatus::ALL`].
    pub const fn index(self) -> usize {
        match self {
            MemberStatus::Candidate => 0,
            MemberStatus::Member => 1,
            MemberStatus::Associate => 2,
            MemberStatus::Resigned => 3,
            MemberStatus::Dismissed => 4,
            MemberStatus::Deceased => 5,
        }
    }

    /// Still in the cooperative (candidate, member or associate).
    pub const fn is_active(self) -> bool {
        matches!(
            self,
            MemberStatus::Candidate | MemberStatus::Member | MemberStatus::Associate
        )
    }

    /// Admitted (anggota or anggota luar biasa).
    pub const fn is_admitted(self) -> bool {
        matches!(self, MemberStatus::Member | MemberStatus::Associate)
    }

    /// No transition leaves this status (keluar, diberhentikan, meninggal).
    pub const fn is_final(self) -> bool {
        !self.is_active()
    }

    /// Indonesian label (`"calon anggota"`, `"anggota"`, …).
    pub const fn label_id(self) -> &'static str {
        match self {
            MemberStatus::Candidate => "calon anggota",
            MemberStatus::Member => "anggota",
            MemberStatus::Associate => "anggota luar biasa",
            MemberStatus::Resigned => "keluar",
            MemberStatus::Dismissed => "diberhentikan",
            MemberStatus::Deceased => "meninggal",
        }
    }
}

/// A change of status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Transition {
    /// Calon anggota → anggota (or anggota luar biasa); needs simpanan pokok paid within the
    /// admission deadline.
    #[doc(alias = "penerimaan anggota")]
    Admit,
    /// Keluar atas permintaan sendiri.
    #[doc(alias = "keluar")]
    Resign,
    /// Diberhentikan oleh pengurus (also a calon anggota whose deadline lapsed).
    #[doc(alias = "diberhentikan")]
    Dismiss,
    /// Meninggal dunia.
    #[doc(alias = "meninggal")]
    Death,
}

impl Transition {
    /// All transitions.
    pub const ALL: [Transition; 4] = [
        Transition::Admit,
        Transition::Resign,
        Transition::Dismiss,
        Transition::Death,
    ];

    /// The status reached from `from` for a member of `kind`, or `None` if the transition is not
    /// allowed. This is the whole state machine; preconditions on dates and simpanan pokok are
    /// checked by [`Registry`](crate::Registry).
    pub const fn target(self, from: MemberStatus, kind: MembershipKind) -> Option<MemberStatus> {
        match (self, from) {
            (Transition::Admit, MemberStatus::Candidate) => Some(match kind {
                MembershipKind::Regular => MemberStatus::Member,
                MembershipKind::Associate => MemberStatus::Associate,
            }),
            (Transition::Admit, _) => None,
            (_, s) if s.is_final() => None,
            (Transition::Resign, _) => Some(MemberStatus::Resigned),
            (Transition::Dismiss, _) => Some(MemberStatus::Dismissed),
            (Transition::Death, _) => Some(MemberStatus::Deceased),
        }
    }
}

/// Which membership the person applies for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum MembershipKind {
    /// Anggota biasa.
    #[default]
    Regular,
    /// Anggota luar biasa.
    #[doc(alias = "anggota luar biasa")]
    Associate,
}

/// Citizenship (kewarganegaraan).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Citizenship {
    /// Warga negara Indonesia.
    #[default]
    #[doc(alias = "WNI")]
    Indonesian,
    /// Warga negara asing.
    #[doc(alias = "WNA")]
    Foreign,
}

/// What a person brings to registration (from the KTP and the application form).
///
/// ```
/// use chrono::NaiveDate;
/// use koperasi_core::MemberId;
/// use koperasi_membership::{Applicant, Gender, Nik};
/// let siti = Applicant::new(
///     MemberId::from_u128(1),
///     Nik::parse("3574014506900001")?,
///     "Siti Rahayu",
///     NaiveDate::from_ymd_opt(1990, 6, 5).unwrap(),
///     "35.74.01.1001".parse()?,
/// )
/// .with_gender(Gender::Female)
/// .with_married(true);
/// assert_eq!(siti.name, "Siti Rahayu");
/// # Ok::<(), koperasi_membership::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Applicant {
    /// The id the caller minted for the new member.
    pub id: MemberId,
    /// NIK from the KTP.
    pub nik: Nik,
    /// Full name.
    pub name: String,
    /// Birth date as written on the KTP.
    pub birth_date: NaiveDate,
    /// Gender as written on the KTP, if recorded.
    pub gender: Option<Gender>,
    /// Citizenship. Default WNI.
    pub citizenship: Citizenship,
    /// Married (kawin): counts as adult. Default `false`.
    pub married: bool,
    /// Under guardianship. Default `false`.
    pub under_guardianship: bool,
    /// Domicile village/kelurahan (KTP address).
    pub domicile: VillageCode,
    /// Regular or associate. Default regular.
    pub kind: MembershipKind,
}

impl Applicant {
    /// An applicant with the defaults: WNI, not married, not under guardianship, regular.
    pub fn new(
        id: MemberId,
        nik: Nik,
        name: impl Into<String>,
        birth_date: NaiveDate,
        domicile: VillageCode,
    ) -> Applicant {
        Applicant {
            id,
            nik,
            name: name.into(),
            birth_date,
            gender: None,
            citizenship: Citizenship::Indonesian,
            married: false,
            under_guardianship: false,
            domicile,
            kind: MembershipKind::Regular,
        }
    }

    /// Sets the KTP gender.
    #[must_use]
    pub fn with_gender(mut self, gender: Gender) -> Applicant {
        self.gender = Some(gender);
        self
    }

    /// Sets the marital status.
    #[must_use]
    pub fn with_married(mut self, married: bool) -> Applicant {
        self.married = married;
        self
    }

    /// Sets the citizenship.
    #[must_use]
    pub fn with_citizenship(mut self, citizenship: Citizenship) -> Applicant {
        self.citizenship = citizenship;
        self
    }

    /// Sets guardianship.
    #[must_use]
    pub fn with_guardianship(mut self, under_guardianship: bool) -> Applicant {
        self.under_guardianship = under_guardianship;
        self
    }

    /// Sets the membership kind (e.g. anggota luar biasa).
    #[must_use]
    pub fn with_kind(mut self, kind: MembershipKind) -> Applicant {
        self.kind = kind;
        self
    }
}

/// One dated, reasoned entry of a member's status history.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct StatusChange {
    /// Effective date.
    pub on: NaiveDate,
    /// The transition; `None` for the registration as calon anggota.
    pub transition: Option<Transition>,
    /// Status after the change.
    pub status: MemberStatus,
    /// Why (decision number, letter, RAT resolution…).
    pub reason: Cow<'static, str>,
}

/// A member record in the buku daftar anggota.
///
/// # Invariants
/// * The history starts with the registration (status `Candidate`) and every later entry is an
///   allowed [`Transition`] from the previous status, on the same or a later date.
/// * [`status`](Member::status) is the status of the last history entry.
/// * Status `Member`/`Associate` implies simpanan pokok paid on or before admission.
#[doc(alias = "anggota")]
#[doc(alias = "buku daftar anggota")]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Member {
    pub(crate) id: MemberId,
    pub(crate) nik: Nik,
    pub(crate) name: String,
    pub(crate) birth_date: NaiveDate,
    pub(crate) gender: Option<Gender>,
    pub(crate) citizenship: Citizenship,
    pub(crate) married: bool,
    pub(crate) domicile: VillageCode,
    pub(crate) kind: MembershipKind,
    pub(crate) pokok_paid_on: Option<NaiveDate>,
    pub(crate) history: Vec<StatusChange>,
}

impl Member {
    pub(crate) fn from_applicant(a: Applicant, on: NaiveDate) -> Member {
        Member {
            id: a.id,
            nik: a.nik,
            name: a.name,
            birth_date: a.birth_date,
            gender: a.gender,
            citizenship: a.citizenship,
            married: a.married,
            domicile: a.domicile,
            kind: a.kind,
            pokok_paid_on: None,
            history: vec![StatusChange {
                on,
                transition: None,
                status: MemberStatus::Candidate,
                reason: Cow::Borrowed("pendaftaran calon anggota"),
            }],
        }
    }

    /// The id.
    pub fn id(&self) -> MemberId {
        self.id
    }
    /// The NIK (personal data: use [`Nik::masked`] in reports).
    pub fn nik(&self) -> &Nik {
        &self.nik
    }
    /// Full name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// Birth date (from the KTP).
    pub fn birth_date(&self) -> NaiveDate {
        self.birth_date
    }
    /// Gender (from the KTP), if recorded.
    pub fn gender(&self) -> Option<Gender> {
        self.gender
    }
    /// Citizenship.
    pub fn citizenship(&self) -> Citizenship {
        self.citizenship
    }
    /// Married at registration.
    pub fn married(&self) -> bool {
        self.married
    }
    /// Domicile village/kelurahan.
    pub fn domicile(&self) -> VillageCode {
        self.domicile
    }
    /// Regular or associate.
    pub fn kind(&self) -> MembershipKind {
        self.kind
    }
    /// Date simpanan pokok was paid, if it was.
    pub fn pokok_paid_on(&self) -> Option<NaiveDate> {
        self.pokok_paid_on
    }
    /// Date of registration as calon anggota.
    pub fn registered_on(&self) -> NaiveDate {
        self.history.first().map_or(NaiveDate::MIN, |c| c.on)
    }
    /// Date of admission as anggota / anggota luar biasa, if admitted.
    pub fn admitted_on(&self) -> Option<NaiveDate> {
        self.history
            .iter()
            .find(|c| c.transition == Some(Transition::Admit))
            .map(|c| c.on)
    }
    /// The current status.
    pub fn status(&self) -> MemberStatus {
        self.history
            .last()
            .map_or(MemberStatus::Candidate, |c| c.status)
    }
    /// The status on a date (`None` before registration).
    pub fn status_on(&self, on: NaiveDate) -> Option<MemberStatus> {
        self.history
            .iter()
            .take_while(|c| c.on <= on)
            .last()
            .map(|c| c.status)
    }
    /// The dated, reasoned status history, oldest first.
    pub fn history(&self) -> &[StatusChange] {
        &self.history
    }
    /// Date of the last change.
    pub fn last_change_on(&self) -> NaiveDate {
        self.history.last().map_or(NaiveDate::MIN, |c| c.on)
    }

    /// Checks the invariants (used after deserialisation).
    pub(crate) fn check(&self) -> Result<()> {
        let mut iter = self.history.iter();
        let first = iter.next().ok_or(Error::Inconsistent {
            what: "member history is empty",
        })?;
        if first.transition.is_some() || first.status != MemberStatus::Candidate {
            return Err(Error::Inconsistent {
                what: "member history does not start with registration",
            });
        }
        if self.name.trim().is_empty() {
            return Err(Error::EmptyName);
        }
        let mut status = first.status;
        let mut last = first.on;
        for c in iter {
            let t = c.transition.ok_or(Error::Inconsistent {
                what: "second registration in a member history",
            })?;
            if t.target(status, self.kind) != Some(c.status) || c.on < last {
                return Err(Error::Inconsistent {
                    what: "member history has an invalid transition",
                });
            }
            if t == Transition::Admit && self.pokok_paid_on.is_none_or(|p| p > c.on) {
                return Err(Error::Inconsistent {
                    what: "member admitted without simpanan pokok",
                });
            }
            status = c.status;
            last = c.on;
        }
        Ok(())
    }
}
