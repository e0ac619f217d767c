//! [`Registry`]: the buku daftar anggota with unique NIKs, eligibility and lifecycle.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::{Months, NaiveDate};
use koperasi_core::MemberId;

use crate::error::{Error, Result};
use crate::member::{
    Applicant, Citizenship, Member, MemberStatus, MembershipKind, StatusChange, Transition,
};
use crate::nik::{Gender, Nik, age_on, nik_matches_date};
use crate::rules::{DeadlineAnchor, Ineligibility, MembershipRules};

/// The registry's private indexes (keys are NIKs and UUIDs) use foldhash's fast, fixed-seed
/// hasher: a few cycles per key instead of the tens of `SipHash`. It does not resist
/// deliberately colliding keys (hash flooding); the keys are NIKs of registered members,
/// entered by the cooperative's own staff, so that threat does not apply.
type FastMap<K, V> = HashMap<K, V, foldhash::quality::FixedState>;

/// Something worth a second look at registration that does not block it (domain notes §1.2
/// step 9: Dukcapil does not reissue a NIK to match a corrected birth date).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum RegistrationWarning {
    /// The birth date on the KTP differs from the one encoded in the NIK.
    NikBirthDateMismatch {
        /// Day, month and two-digit year in the NIK.
        nik: (u8, u8, u8),
        /// The KTP birth date.
        ktp: NaiveDate,
    },
    /// The gender on the KTP differs from the one encoded in the NIK.
    NikGenderMismatch {
        /// Gender in the NIK.
        nik: Gender,
        /// Gender on the KTP.
        ktp: Gender,
    },
}

/// The result of a successful registration.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Registration {
    /// The new member's id.
    pub id: MemberId,
    /// Non-blocking findings.
    pub warnings: Vec<RegistrationWarning>,
}

/// Number of members per status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct StatusCounts([usize; 6]);

impl StatusCounts {
    /// The count for one status.
    pub fn get(&self, status: MemberStatus) -> usize {
        self.0.get(status.index()).copied().unwrap_or(0)
    }
    /// Calon anggota + anggota + anggota luar biasa.
    pub fn active(&self) -> usize {
        MemberStatus::ALL
            .iter()
            .filter(|s| s.is_active())
            .map(|&s| self.get(s))
            .fold(0, usize::saturating_add)
    }
    /// Every record, whatever the status.
    pub fn total(&self) -> usize {
        self.0.iter().copied().fold(0, usize::saturating_add)
    }
    /// `(status, count)` pairs in [`MemberStatus::ALL`] order.
    pub fn iter(&self) -> impl Iterator<Item = (MemberStatus, usize)> + '_ {
        MemberStatus::ALL.iter().map(|&s| (s, self.get(s)))
    }
    fn add(&mut self, s: MemberStatus) {
        if let Some(c) = self.0.get_mut(s.index()) {
            *c = c.saturating_add(1);
        }
    }
    fn remove(&mut self, s: MemberStatus) {
        if let Some(c) = self.0.get_mut(s.index()) {
            *c = c.saturating_sub(1);
        }
    }
}

/// The member registry (buku daftar anggota) of one cooperative.
///
/// # Invariants
/// * No two records share a NIK (one person, one membership — Pasal 19(3)), nor a member id.
///   Records are never deleted: a member who leaves keeps the NIK's record.
/// * Every record satisfies the [`Member`] invariants; statuses change only through
///   [`Transition`]s.
/// * A rejected operation changes nothing.
///
/// ```
/// use chrono::NaiveDate;
/// use koperasi_core::MemberId;
/// use koperasi_membership::{Applicant, MemberStatus, MembershipRules, Nik, Registry};
///
/// let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
/// let village = "35.74.01.1001".parse()?;
/// let mut reg = Registry::new(MembershipRules::kdmp(village));
/// let id = MemberId::from_u128(1);
/// let siti = Applicant::new(id, Nik::parse("3574014506900001")?, "Siti Rahayu", d(1990, 6, 5), village);
/// reg.register(siti, d(2026, 1, 5))?;
/// reg.record_pokok_payment(id, d(2026, 1, 10))?;
/// reg.admit(id, d(2026, 1, 15), "SK pengurus 01/2026")?;
/// assert_eq!(reg.get(id).map(|m| m.status()), Some(MemberStatus::Member));
/// assert_eq!(reg.counts().get(MemberStatus::Member), 1);
/// # Ok::<(), koperasi_membership::Error>(())
/// ```
#[doc(alias = "buku daftar anggota")]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(try_from = "RegistryRepr", into = "RegistryRepr")
)]
pub struct Registry {
    rules: MembershipRules,
    members: Vec<Member>,
    by_id: FastMap<MemberId, usize>,
    by_nik: FastMap<Nik, usize>,
    counts: StatusCounts,
}

/// The serialised form of a [`Registry`]: rules and records; indexes are rebuilt and every
/// invariant re-checked on deserialisation.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
struct RegistryRepr {
    rules: MembershipRules,
    members: Vec<Member>,
}

#[cfg(feature = "serde")]
impl TryFrom<RegistryRepr> for Registry {
    type Error = Error;
    fn try_from(r: RegistryRepr) -> Result<Registry> {
        Registry::from_members(r.rules, r.members)
    }
}

#[cfg(feature = "serde")]
impl From<Registry> for RegistryRepr {
    fn from(r: Registry) -> RegistryRepr {
        RegistryRepr {
            rules: r.rules,
            members: r.members,
        }
    }
}

impl Default for Registry {
    fn default() -> Self {
        Registry::new(MembershipRules::default())
    }
}

fn check_reason(reason: &str) -> Result<()> {
    if reason.trim().is_empty() {
        Err(Error::EmptyReason)
    } else {
        Ok(())
    }
}

impl Registry {
    /// An empty registry with these rules.
    pub fn new(rules: MembershipRules) -> Registry {
        Registry {
            rules,
            members: Vec::new(),
            by_id: FastMap::default(),
            by_nik: FastMap::default(),
            counts: StatusCounts::default(),
        }
    }

    /// An empty registry with room for `n` members.
    pub fn with_capacity(rules: MembershipRules, n: usize) -> Registry {
        Registry {
            rules,
            members: Vec::with_capacity(n),
            by_id: FastMap::with_capacity_and_hasher(n, foldhash::quality::FixedState::default()),
            by_nik: FastMap::with_capacity_and_hasher(n, foldhash::quality::FixedState::default()),
            counts: StatusCounts::default(),
        }
    }

    /// Rebuilds a registry from stored records (e.g. loaded by a persistence adapter),
    /// re-checking every invariant.
    ///
    /// # Errors
    /// [`Error::Inconsistent`] or [`Error::EmptyName`] for a record whose history is not a valid
    /// lifecycle; [`Error::DuplicateNik`] or [`Error::DuplicateMemberId`].
    pub fn from_members(rules: MembershipRules, members: Vec<Member>) -> Result<Registry> {
        let mut reg = Registry::with_capacity(rules, members.len());
        for m in members {
            m.check()?;
            reg.insert(m)?;
        }
        Ok(reg)
    }

    /// The rules.
    pub fn rules(&self) -> &MembershipRules {
        &self.rules
    }

    /// Number of records (all statuses).
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// No records.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// Checks an applicant against the eligibility rules on the registration date `on`
    /// (domain notes §1.1), without registering.
    ///
    /// # Errors
    /// [`Error::EmptyName`], or [`Error::Ineligible`] with the first failed rule.
    pub fn check_eligibility(&self, a: &Applicant, on: NaiveDate) -> Result<()> {
        if a.name.trim().is_empty() {
            return Err(Error::EmptyName);
        }
        let rules = &self.rules.eligibility;
        let fail = |reason| Err(Error::Ineligible { id: a.id, reason });
        let associate = a.kind == MembershipKind::Associate;
        if associate && !rules.allow_associates {
            return fail(Ineligibility::AssociatesNotAllowed);
        }
        if rules.require_citizen
            && a.citizenship != Citizenship::Indonesian
            && !(associate && rules.associates_exempt_citizenship)
        {
            return fail(Ineligibility::NotCitizen);
        }
        let Some(age) = age_on(a.birth_date, on) else {
            return fail(Ineligibility::NotBorn);
        };
        if let Some(min_age) = rules.min_age
            && age < min_age
            && !(a.married && rules.married_counts_as_adult)
        {
            return fail(Ineligibility::TooYoung { age, min_age });
        }
        if rules.reject_under_guardianship && a.under_guardianship {
            return fail(Ineligibility::UnderGuardianship);
        }
        if let Some(required) = rules.domicile
            && a.domicile != required
            && !(associate && rules.associates_exempt_domicile)
        {
            return fail(Ineligibility::DomicileMismatch {
                domicile: a.domicile,
                required,
            });
        }
        Ok(())
    }

    /// Registers an applicant as calon anggota on `on`.
    ///
    /// The KTP birth date and gender are cross-checked with the NIK; a mismatch is returned as
    /// a [`RegistrationWarning`], not an error.
    ///
    /// # Errors
    /// [`Error::DuplicateNik`], [`Error::DuplicateMemberId`], [`Error::EmptyName`],
    /// [`Error::Ineligible`]. Nothing changes on error.
    pub fn register(&mut self, applicant: Applicant, on: NaiveDate) -> Result<Registration> {
        if let Some(&i) = self.by_nik.get(&applicant.nik) {
            let existing = self.members.get(i).map_or(applicant.id, Member::id);
            return Err(Error::DuplicateNik {
                nik: applicant.nik.masked(),
                existing,
            });
        }
        if self.by_id.contains_key(&applicant.id) {
            return Err(Error::DuplicateMemberId { id: applicant.id });
        }
        self.check_eligibility(&applicant, on)?;
        let mut warnings = Vec::new();
        let nik = applicant.nik;
        if !nik_matches_date(&nik, applicant.birth_date) {
            warnings.push(RegistrationWarning::NikBirthDateMismatch {
                nik: (nik.birth_day(), nik.birth_month(), nik.birth_year_2()),
                ktp: applicant.birth_date,
            });
        }
        if let Some(g) = applicant.gender
            && g != nik.gender()
        {
            warnings.push(RegistrationWarning::NikGenderMismatch {
                nik: nik.gender(),
                ktp: g,
            });
        }
        let id = applicant.id;
        self.insert(Member::from_applicant(applicant, on))?;
        Ok(Registration { id, warnings })
    }

    /// Inserts a checked record (indexes and counts).
    fn insert(&mut self, m: Member) -> Result<()> {
        if let Some(&i) = self.by_nik.get(&m.nik) {
            let existing = self.members.get(i).map_or(m.id, Member::id);
            return Err(Error::DuplicateNik {
                nik: m.nik.masked(),
                existing,
            });
        }
        if self.by_id.contains_key(&m.id) {
            return Err(Error::DuplicateMemberId { id: m.id });
        }
        let i = self.members.len();
        self.by_id.insert(m.id, i);
        self.by_nik.insert(m.nik, i);
        self.counts.add(m.status());
        self.members.push(m);
        Ok(())
    }

    fn index(&self, id: MemberId) -> Result<usize> {
        self.by_id
            .get(&id)
            .copied()
            .ok_or(Error::UnknownMember { id })
    }

    /// Records that the calon anggota paid simpanan pokok on `on`.
    ///
    /// # Errors
    /// [`Error::UnknownMember`]; [`Error::InvalidTransition`] (as [`Transition::Admit`]) if the
    /// person is no longer a calon anggota; [`Error::PokokAlreadyPaid`];
    /// [`Error::DateBeforeLastChange`].
    pub fn record_pokok_payment(&mut self, id: MemberId, on: NaiveDate) -> Result<()> {
        let i = self.index(id)?;
        let m = self.members.get_mut(i).ok_or(Error::UnknownMember { id })?;
        if m.status() != MemberStatus::Candidate {
            return Err(Error::InvalidTransition {
                member: id,
                from: m.status(),
                transition: Transition::Admit,
            });
        }
        if let Some(paid_on) = m.pokok_paid_on {
            return Err(Error::PokokAlreadyPaid {
                member: id,
                paid_on,
            });
        }
        if on < m.last_change_on() {
            return Err(Error::DateBeforeLastChange {
                member: id,
                last: m.last_change_on(),
                on,
            });
        }
        m.pokok_paid_on = Some(on);
        Ok(())
    }

    /// The last admission date of a calon anggota under the rules, if the rules set a deadline
    /// and its anchor date is known.
    pub fn admission_deadline(&self, m: &Member) -> Option<NaiveDate> {
        let months = self.rules.admission.deadline_months?;
        let anchor = match self.rules.admission.anchor {
            DeadlineAnchor::Registration => m.registered_on(),
            DeadlineAnchor::PokokPayment => m.pokok_paid_on?,
        };
        Some(
            anchor
                .checked_add_months(Months::new(months))
                .unwrap_or(NaiveDate::MAX),
        )
    }

    /// Applies a transition on `on` with a reason.
    ///
    /// # Errors
    /// [`Error::UnknownMember`], [`Error::EmptyReason`], [`Error::InvalidTransition`] (see
    /// [`Transition::target`]), [`Error::DateBeforeLastChange`], and for
    /// [`Transition::Admit`]: [`Error::PokokNotPaid`], [`Error::AdmissionDeadlinePassed`].
    /// Nothing changes on error.
    pub fn apply(
        &mut self,
        id: MemberId,
        transition: Transition,
        on: NaiveDate,
        reason: &str,
    ) -> Result<MemberStatus> {
        let i = self.index(id)?;
        let m = self.members.get(i).ok_or(Error::UnknownMember { id })?;
        check_reason(reason)?;
        let from = m.status();
        let to = transition
            .target(from, m.kind)
            .ok_or(Error::InvalidTransition {
                member: id,
                from,
                transition,
            })?;
        if on < m.last_change_on() {
            return Err(Error::DateBeforeLastChange {
                member: id,
                last: m.last_change_on(),
                on,
            });
        }
        if transition == Transition::Admit {
            if m.pokok_paid_on.is_none_or(|p| p > on) {
                return Err(Error::PokokNotPaid { member: id, on });
            }
            if let Some(deadline) = self.admission_deadline(m)
                && on > deadline
            {
                return Err(Error::AdmissionDeadlinePassed {
                    member: id,
                    deadline,
                    on,
                });
            }
        }
        let m = self.members.get_mut(i).ok_or(Error::UnknownMember { id })?;
        m.history.push(StatusChange {
            on,
            transition: Some(transition),
            status: to,
            reason: Cow::Owned(reason.to_owned()),
        });
        self.counts.remove(from);
        self.counts.add(to);
        Ok(to)
    }

    /// Calon anggota → anggota (or anggota luar biasa).
    ///
    /// # Errors
    /// As [`Registry::apply`].
    #[doc(alias = "terima")]
    pub fn admit(&mut self, id: MemberId, on: NaiveDate, reason: &str) -> Result<MemberStatus> {
        self.apply(id, Transition::Admit, on, reason)
    }

    /// Keluar atas permintaan sendiri.
    ///
    /// # Errors
    /// As [`Registry::apply`].
    #[doc(alias = "keluar")]
    pub fn resign(&mut self, id: MemberId, on: NaiveDate, reason: &str) -> Result<MemberStatus> {
        self.apply(id, Transition::Resign, on, reason)
    }

    /// Diberhentikan oleh pengurus.
    ///
    /// # Errors
    /// As [`Registry::apply`].
    #[doc(alias = "diberhentikan")]
    pub fn dismiss(&mut self, id: MemberId, on: NaiveDate, reason: &str) -> Result<MemberStatus> {
        self.apply(id, Transition::Dismiss, on, reason)
    }

    /// Meninggal dunia.
    ///
    /// # Errors
    /// As [`Registry::apply`].
    #[doc(alias = "meninggal")]
    pub fn record_death(
        &mut self,
        id: MemberId,
        on: NaiveDate,
        reason: &str,
    ) -> Result<MemberStatus> {
        self.apply(id, Transition::Death, on, reason)
    }

    /// The member with this id.
    pub fn get(&self, id: MemberId) -> Option<&Member> {
        self.by_id.get(&id).and_then(|&i| self.members.get(i))
    }

    /// The member holding this NIK (whatever the status).
    pub fn by_nik(&self, nik: &Nik) -> Option<&Member> {
        self.by_nik.get(nik).and_then(|&i| self.members.get(i))
    }

    /// Members whose name contains `query`, ignoring case and repeated spaces.
    pub fn find_by_name<'a>(&'a self, query: &str) -> impl Iterator<Item = &'a Member> + 'a {
        let q = normalize(query);
        self.members
            .iter()
            .filter(move |m| !q.is_empty() && normalize(&m.name).contains(&q))
    }

    /// The member's number in the register (*nomor anggota*, *nomor induk anggota*): its
    /// position in registration order, from 1. Records are never removed from the register
    /// (dismissed, exited and deceased members keep theirs), so a number never changes and is
    /// never given to anyone else.
    ///
    /// ```
    /// # use chrono::NaiveDate;
    /// # use koperasi_core::MemberId;
    /// # use koperasi_membership::*;
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
    /// let kelurahan: VillageCode = "35.74.01.1001".parse()?;
    /// let mut registry = Registry::new(MembershipRules::kdmp(kelurahan));
    /// let [siti, budi] = [7, 3].map(MemberId::from_u128);
    /// let nik_siti = Nik::parse("3574014506900001")?;
    /// let nik_budi = Nik::parse("3574011203850002")?;
    /// registry.register(Applicant::new(siti, nik_siti, "Siti Rahayu", d(1990, 6, 5), kelurahan), d(2026, 1, 5))?;
    /// registry.register(Applicant::new(budi, nik_budi, "Budi Santoso", d(1985, 3, 12), kelurahan), d(2026, 1, 6))?;
    /// // Numbers follow registration, not ids.
    /// assert_eq!(registry.number(siti), Some(1));
    /// assert_eq!(registry.number(budi), Some(2));
    /// assert_eq!(registry.number(MemberId::from_u128(99)), None);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "nomor_anggota")]
    pub fn number(&self, id: MemberId) -> Option<u32> {
        let i = *self.by_id.get(&id)?;
        u32::try_from(i).ok()?.checked_add(1)
    }

    /// Every record in registration order.
    pub fn members(&self) -> impl Iterator<Item = &Member> {
        self.members.iter()
    }

    /// Current counts by status.
    pub fn counts(&self) -> StatusCounts {
        self.counts
    }

    /// Counts by status on a date (records registered later are not counted).
    pub fn counts_on(&self, on: NaiveDate) -> StatusCounts {
        let mut c = StatusCounts::default();
        for s in self.members.iter().filter_map(|m| m.status_on(on)) {
            c.add(s);
        }
        c
    }

    /// Calon anggota whose admission deadline has passed on `as_of` (to be admitted late only
    /// by changing the rules, or dismissed).
    pub fn overdue_candidates(&self, as_of: NaiveDate) -> impl Iterator<Item = &Member> {
        self.members.iter().filter(move |m| {
            m.status() == MemberStatus::Candidate
                && self.admission_deadline(m).is_some_and(|d| as_of > d)
        })
    }

    /// `true` if the member has a vote in the Rapat Anggota on `on`: anggota, or anggota luar
    /// biasa when the rules give them a vote (one member, one vote — Pasal 24).
    pub fn can_vote(&self, id: MemberId, on: NaiveDate) -> bool {
        self.get(id).and_then(|m| m.status_on(on)).is_some_and(|s| {
            s == MemberStatus::Member
                || (s == MemberStatus::Associate && self.rules.associates_may_vote)
        })
    }

    /// Members with a vote on `on`.
    pub fn voters(&self, on: NaiveDate) -> impl Iterator<Item = MemberId> + '_ {
        self.members
            .iter()
            .map(Member::id)
            .filter(move |&id| self.can_vote(id, on))
    }
}

fn normalize(s: &str) -> String {
    s.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}
