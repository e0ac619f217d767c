//! Organs (pengurus, pengawas) and the Rapat Anggota (domain notes §1.5).

use core::fmt;
use std::collections::BTreeSet;

use chrono::{Months, NaiveDate};
use koperasi_core::{ActorId, MemberId};

use crate::error::{Error, Result};
use crate::member::MemberStatus;
use crate::registry::Registry;

/// An organ of the cooperative besides the Rapat Anggota.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Organ {
    /// Pengurus: runs the organisation and the business, keeps the registers.
    #[doc(alias = "pengurus")]
    Management,
    /// Pengawas: supervises the pengurus and reports to the Rapat Anggota.
    #[doc(alias = "pengawas")]
    Supervisory,
}

impl Organ {
    /// The other organ.
    #[must_use]
    pub const fn other(self) -> Organ {
        match self {
            Organ::Management => Organ::Supervisory,
            Organ::Supervisory => Organ::Management,
        }
    }
}

/// An office within an organ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Office {
    /// Ketua.
    #[doc(alias = "ketua")]
    Chair,
    /// Wakil ketua.
    #[doc(alias = "wakil ketua")]
    ViceChair,
    /// Sekretaris.
    #[doc(alias = "sekretaris")]
    Secretary,
    /// Bendahara.
    #[doc(alias = "bendahara")]
    Treasurer,
    /// Anggota pengurus / anggota pengawas (any number).
    Member,
}

impl Office {
    /// Offices held by one person per organ (all but [`Office::Member`]).
    pub const fn is_single(self) -> bool {
        !matches!(self, Office::Member)
    }
}

/// Who holds a seat: a member, or the kepala desa/lurah ex officio (not necessarily a member),
/// identified by the actor id they use in the books.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Person {
    /// A member.
    Member(MemberId),
    /// The kepala desa/lurah, ex officio.
    #[doc(alias = "kepala desa")]
    #[doc(alias = "lurah")]
    ExOfficio(ActorId),
}

impl fmt::Display for Person {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Person::Member(id) => write!(f, "member {id}"),
            Person::ExOfficio(id) => write!(f, "ex-officio {id}"),
        }
    }
}

/// A term of office, both dates inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Term {
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: NaiveDate,
}

impl Term {
    /// A term from `start` to `end` inclusive.
    pub const fn new(start: NaiveDate, end: NaiveDate) -> Term {
        Term { start, end }
    }
    /// `true` if `on` lies in the term.
    pub fn contains(&self, on: NaiveDate) -> bool {
        self.start <= on && on <= self.end
    }
}

/// One seat: who holds which office in which organ, for which term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Seat {
    /// The organ.
    pub organ: Organ,
    /// The office.
    pub office: Office,
    /// The holder.
    pub person: Person,
    /// The term.
    pub term: Term,
}

impl Seat {
    /// A seat.
    pub const fn new(organ: Organ, office: Office, person: Person, term: Term) -> Seat {
        Seat {
            organ,
            office,
            person,
            term,
        }
    }
}

/// A size rule for an organ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct OrganSize {
    /// Minimum number of seats.
    pub min: usize,
    /// The number must be odd.
    pub odd: bool,
}

impl OrganSize {
    /// A size rule.
    pub const fn new(min: usize, odd: bool) -> OrganSize {
        OrganSize { min, odd }
    }
    fn check(self, organ: Organ, count: usize) -> Result<()> {
        if count < self.min || (self.odd && count.is_multiple_of(2)) {
            Err(Error::OrganSize {
                organ,
                count,
                min: self.min,
                must_be_odd: self.odd,
            })
        } else {
            Ok(())
        }
    }
}

/// Governance rules of the AD/ART (defaults from domain notes §1.5).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct GovernanceRules {
    /// Pengurus size. Default: at least 3, odd (secondary KDMP guidance; unverified, hence
    /// configuration).
    pub management_size: OrganSize,
    /// Pengawas size. Default: at least 1.
    pub supervisory_size: OrganSize,
    /// Offices the pengurus must fill. Default ketua, sekretaris, bendahara.
    pub required_management_offices: Vec<Office>,
    /// The kepala desa/lurah is ex-officio ketua pengawas (KDMP, SE Menkop 1/2025). Default
    /// `false`; [`GovernanceRules::kdmp`] sets it.
    pub ex_officio_supervisory_chair: bool,
    /// No declared blood or marriage relationship between pengurus and pengawas. Default `true`.
    pub forbid_kinship: bool,
    /// Longest term in years; `None` for no limit. Default `Some(5)` (UU 25/1992 Pasal 29(3)).
    pub max_term_years: Option<u32>,
}

impl Default for GovernanceRules {
    fn default() -> Self {
        GovernanceRules {
            management_size: OrganSize::new(3, true),
            supervisory_size: OrganSize::new(1, false),
            required_management_offices: vec![Office::Chair, Office::Secretary, Office::Treasurer],
            ex_officio_supervisory_chair: false,
            forbid_kinship: true,
            max_term_years: Some(5),
        }
    }
}

impl GovernanceRules {
    /// KDMP/KKMP rules: the defaults plus the ex-officio ketua pengawas.
    pub fn kdmp() -> GovernanceRules {
        GovernanceRules {
            ex_officio_supervisory_chair: true,
            ..GovernanceRules::default()
        }
    }
}

/// The pengurus and pengawas of a cooperative, with declared kinship between persons.
///
/// [`Board::appoint`] checks each seat as it is filled; [`Board::check`] checks the whole
/// composition on a date (sizes, required offices, ex-officio chair, current terms, holders
/// still members).
///
/// ```
/// use chrono::NaiveDate;
/// use koperasi_core::{ActorId, MemberId};
/// use koperasi_membership::*;
///
/// let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
/// let village: VillageCode = "35.74.01.1001".parse()?;
/// let mut reg = Registry::new(MembershipRules::kdmp(village));
/// let niks = ["3574010101800001", "3574010202800002", "3574010303800003", "3574010404800004"];
/// for (i, nik) in niks.iter().enumerate() {
///     let id = MemberId::from_u128(i as u128 + 1);
///     reg.register(Applicant::new(id, nik.parse()?, format!("Anggota {i}"), d(1980, 1, 1), village), d(2025, 7, 1))?;
///     reg.record_pokok_payment(id, d(2025, 7, 1))?;
///     reg.admit(id, d(2025, 7, 1), "rapat pendirian")?;
/// }
/// let term = Term::new(d(2025, 7, 21), d(2030, 7, 20));
/// let mut board = Board::new(GovernanceRules::kdmp());
/// let m = |n| Person::Member(MemberId::from_u128(n));
/// board.appoint(Seat::new(Organ::Management, Office::Chair, m(1), term), &reg)?;
/// board.appoint(Seat::new(Organ::Management, Office::Secretary, m(2), term), &reg)?;
/// board.appoint(Seat::new(Organ::Management, Office::Treasurer, m(3), term), &reg)?;
/// let kades = Person::ExOfficio(ActorId::from_u128(99));
/// board.appoint(Seat::new(Organ::Supervisory, Office::Chair, kades, term), &reg)?;
/// board.check(&reg, d(2026, 1, 1))?;
/// // The treasurer's brother may not sit in the pengawas:
/// board.declare_kinship(m(3), m(4))?;
/// let e = board.appoint(Seat::new(Organ::Supervisory, Office::Member, m(4), term), &reg);
/// assert!(matches!(e, Err(Error::KinshipConflict { .. })));
/// # Ok::<(), koperasi_membership::Error>(())
/// ```
#[doc(alias = "pengurus")]
#[doc(alias = "pengawas")]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Board {
    rules: GovernanceRules,
    seats: Vec<Seat>,
    kinship: BTreeSet<(Person, Person)>,
}

impl Board {
    /// An empty board.
    pub fn new(rules: GovernanceRules) -> Board {
        Board {
            rules,
            seats: Vec::new(),
            kinship: BTreeSet::new(),
        }
    }

    /// The rules.
    pub fn rules(&self) -> &GovernanceRules {
        &self.rules
    }

    /// All seats.
    pub fn seats(&self) -> &[Seat] {
        &self.seats
    }

    /// Seats of one organ.
    pub fn seats_of(&self, organ: Organ) -> impl Iterator<Item = &Seat> {
        self.seats.iter().filter(move |s| s.organ == organ)
    }

    /// The seat of `person`, if any.
    pub fn seat_of(&self, person: Person) -> Option<&Seat> {
        self.seats.iter().find(|s| s.person == person)
    }

    /// The holder of a single office.
    pub fn holder(&self, organ: Organ, office: Office) -> Option<Person> {
        self.seats
            .iter()
            .find(|s| s.organ == organ && s.office == office)
            .map(|s| s.person)
    }

    /// `true` if a relationship between `a` and `b` was declared.
    pub fn related(&self, a: Person, b: Person) -> bool {
        self.kinship.contains(&ordered(a, b))
    }

    fn check_term(&self, seat: &Seat) -> Result<()> {
        let too_long = self.rules.max_term_years.is_some_and(|y| {
            seat.term
                .start
                .checked_add_months(Months::new(y.saturating_mul(12)))
                .is_some_and(|limit| seat.term.end >= limit)
        });
        if seat.term.end < seat.term.start || too_long {
            return Err(Error::InvalidTerm {
                person: seat.person,
                start: seat.term.start,
                end: seat.term.end,
                on: seat.term.start,
            });
        }
        Ok(())
    }

    fn check_holder(&self, seat: &Seat, registry: &Registry, on: NaiveDate) -> Result<()> {
        match seat.person {
            Person::Member(id) => {
                let m = registry.get(id).ok_or(Error::UnknownMember { id })?;
                let status = m.status_on(on).unwrap_or(MemberStatus::Candidate);
                if status != MemberStatus::Member {
                    return Err(Error::NotElectable { member: id, status });
                }
            }
            Person::ExOfficio(_) => {
                if !(self.rules.ex_officio_supervisory_chair
                    && seat.organ == Organ::Supervisory
                    && seat.office == Office::Chair)
                {
                    return Err(Error::ExOfficio {
                        organ: seat.organ,
                        office: seat.office,
                    });
                }
            }
        }
        Ok(())
    }

    /// Fills a seat. The holder must be an anggota (not calon, not luar biasa) on the first day
    /// of the term, unless the seat is the ex-officio ketua pengawas; the term must be valid;
    /// the person must not already hold a seat; a single office must be vacant; no declared
    /// relative may sit in the other organ.
    ///
    /// # Errors
    /// [`Error::InvalidTerm`], [`Error::UnknownMember`], [`Error::NotElectable`],
    /// [`Error::ExOfficio`], [`Error::AlreadySeated`], [`Error::OfficeTaken`],
    /// [`Error::KinshipConflict`]. Nothing changes on error.
    pub fn appoint(&mut self, seat: Seat, registry: &Registry) -> Result<()> {
        self.check_term(&seat)?;
        self.check_holder(&seat, registry, seat.term.start)?;
        if self.seat_of(seat.person).is_some() {
            return Err(Error::AlreadySeated {
                person: seat.person,
            });
        }
        if seat.office.is_single() && self.holder(seat.organ, seat.office).is_some() {
            return Err(Error::OfficeTaken {
                organ: seat.organ,
                office: seat.office,
            });
        }
        if self.rules.forbid_kinship
            && let Some(other) = self
                .seats_of(seat.organ.other())
                .find(|o| self.related(o.person, seat.person))
        {
            return Err(Error::KinshipConflict {
                a: seat.person,
                b: other.person,
            });
        }
        self.seats.push(seat);
        Ok(())
    }

    /// Removes a person's seat (end of term, resignation, dismissal by the Rapat Anggota) and
    /// returns it.
    pub fn vacate(&mut self, person: Person) -> Option<Seat> {
        let i = self.seats.iter().position(|s| s.person == person)?;
        Some(self.seats.remove(i))
    }

    /// Records a declared blood or marriage relationship between two persons.
    ///
    /// # Errors
    /// [`Error::KinshipConflict`] if the rules forbid kinship and the two already sit one in
    /// each organ (nothing is recorded then).
    pub fn declare_kinship(&mut self, a: Person, b: Person) -> Result<()> {
        if self.rules.forbid_kinship
            && let (Some(sa), Some(sb)) = (self.seat_of(a), self.seat_of(b))
            && sa.organ != sb.organ
        {
            return Err(Error::KinshipConflict { a, b });
        }
        if a != b {
            self.kinship.insert(ordered(a, b));
        }
        Ok(())
    }

    /// Checks the whole composition on `on`.
    ///
    /// # Errors
    /// [`Error::InvalidTerm`] (a term not current on `on`), [`Error::NotElectable`] (a holder
    /// who is no longer an anggota), [`Error::UnknownMember`], [`Error::OrganSize`],
    /// [`Error::MissingOffice`], [`Error::ExOfficio`] (ketua pengawas is not the kepala
    /// desa/lurah under the KDMP rule).
    pub fn check(&self, registry: &Registry, on: NaiveDate) -> Result<()> {
        for s in &self.seats {
            if !s.term.contains(on) {
                return Err(Error::InvalidTerm {
                    person: s.person,
                    start: s.term.start,
                    end: s.term.end,
                    on,
                });
            }
            self.check_holder(s, registry, on)?;
        }
        for organ in [Organ::Management, Organ::Supervisory] {
            let size = match organ {
                Organ::Management => self.rules.management_size,
                Organ::Supervisory => self.rules.supervisory_size,
            };
            size.check(organ, self.seats_of(organ).count())?;
        }
        for &office in &self.rules.required_management_offices {
            if self.holder(Organ::Management, office).is_none() {
                return Err(Error::MissingOffice {
                    organ: Organ::Management,
                    office,
                });
            }
        }
        if self.rules.ex_officio_supervisory_chair
            && !matches!(
                self.holder(Organ::Supervisory, Office::Chair),
                Some(Person::ExOfficio(_))
            )
        {
            return Err(Error::ExOfficio {
                organ: Organ::Supervisory,
                office: Office::Chair,
            });
        }
        Ok(())
    }
}

fn ordered(a: Person, b: Person) -> (Person, Person) {
    if a <= b { (a, b) } else { (b, a) }
}

/// A threshold `numerator/denominator`, met by more than (`strict`) or at least that share.
///
/// ```
/// use koperasi_membership::Threshold;
/// let half = Threshold::more_than(1, 2)?;
/// assert_eq!(half.required(100), 51);
/// assert_eq!(Threshold::at_least(2, 3)?.required(100), 67);
/// # Ok::<(), koperasi_membership::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Threshold {
    numerator: u32,
    denominator: u32,
    strict: bool,
}

impl Threshold {
    /// No threshold (always met): a second, reconvened meeting under a typical ART.
    pub const NONE: Threshold = Threshold {
        numerator: 0,
        denominator: 1,
        strict: false,
    };

    fn new(numerator: u32, denominator: u32, strict: bool) -> Result<Threshold> {
        if denominator == 0 || numerator > denominator {
            return Err(Error::InvalidFraction {
                numerator,
                denominator,
            });
        }
        Ok(Threshold {
            numerator,
            denominator,
            strict,
        })
    }

    /// More than `numerator/denominator` (e.g. more than half: `more_than(1, 2)`).
    ///
    /// # Errors
    /// [`Error::InvalidFraction`] if the denominator is zero or the fraction exceeds 1.
    pub fn more_than(numerator: u32, denominator: u32) -> Result<Threshold> {
        Threshold::new(numerator, denominator, true)
    }

    /// At least `numerator/denominator` (e.g. two thirds: `at_least(2, 3)`).
    ///
    /// # Errors
    /// [`Error::InvalidFraction`] if the denominator is zero or the fraction exceeds 1.
    pub fn at_least(numerator: u32, denominator: u32) -> Result<Threshold> {
        Threshold::new(numerator, denominator, false)
    }

    /// `true` if `count` out of `total` meets the threshold.
    pub fn met(&self, count: usize, total: usize) -> bool {
        let lhs = (count as u128).saturating_mul(u128::from(self.denominator));
        let rhs = (total as u128).saturating_mul(u128::from(self.numerator));
        if self.strict { lhs > rhs } else { lhs >= rhs }
    }

    /// The smallest count out of `total` that meets the threshold.
    pub fn required(&self, total: usize) -> usize {
        let t = total as u128;
        let (n, d) = (u128::from(self.numerator), u128::from(self.denominator));
        let prod = t.saturating_mul(n);
        let q = prod.checked_div(d).unwrap_or(0);
        let r = prod.checked_rem(d).unwrap_or(0);
        let req = if self.strict {
            q.saturating_add(1)
        } else if r == 0 {
            q
        } else {
            q.saturating_add(1)
        };
        usize::try_from(req).unwrap_or(usize::MAX)
    }
}

/// The kind of Rapat Anggota.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum MeetingKind {
    /// Rapat Anggota Tahunan (RAT), at least once a year.
    #[doc(alias = "RAT")]
    Annual,
    /// Rapat Anggota Luar Biasa.
    #[doc(alias = "RALB")]
    Extraordinary,
    /// Any other Rapat Anggota (e.g. the founding meeting).
    Other,
}

/// A ballot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Vote {
    /// Setuju.
    Yes,
    /// Tidak setuju.
    No,
    /// Abstain.
    Abstain,
}

/// What the majority is counted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum VoteBase {
    /// Yes + no votes (abstentions not counted). Default.
    #[default]
    Cast,
    /// Members present.
    Present,
}

/// The majority a motion needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct MajorityRule {
    /// The share of yes votes needed.
    pub threshold: Threshold,
    /// The base it is counted on.
    pub base: VoteBase,
}

impl Default for MajorityRule {
    /// More than half of the votes cast.
    fn default() -> Self {
        MajorityRule {
            threshold: Threshold {
                numerator: 1,
                denominator: 2,
                strict: true,
            },
            base: VoteBase::Cast,
        }
    }
}

impl MajorityRule {
    /// A rule.
    pub const fn new(threshold: Threshold, base: VoteBase) -> MajorityRule {
        MajorityRule { threshold, base }
    }
}

/// The count of one vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Tally {
    /// Yes votes.
    pub yes: usize,
    /// No votes.
    pub no: usize,
    /// Abstentions.
    pub abstain: usize,
}

/// A recorded decision of the Rapat Anggota.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Decision {
    /// The motion.
    pub motion: String,
    /// The tally.
    pub tally: Tally,
    /// The rule applied.
    pub rule: MajorityRule,
    /// Members present when voting.
    pub present: usize,
    /// Adopted (diterima) or not.
    pub adopted: bool,
}

/// Quorum status of a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct QuorumStatus {
    /// Members with a vote.
    pub eligible: usize,
    /// Members present.
    pub present: usize,
    /// Members needed.
    pub required: usize,
    /// `present >= required`.
    pub reached: bool,
}

/// A Rapat Anggota: one member, one vote (UU 25/1992 Pasal 24).
///
/// The voters are the members with a vote on the meeting date (anggota; anggota luar biasa
/// only if the rules say so; never calon anggota), taken from the registry when the meeting is
/// opened. Default quorum: more than half of the voters.
///
/// ```
/// # use chrono::NaiveDate;
/// # use koperasi_core::MemberId;
/// # use koperasi_membership::*;
/// # let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
/// # let village: VillageCode = "35.74.01.1001".parse()?;
/// # let mut reg = Registry::new(MembershipRules::kdmp(village));
/// # for (i, nik) in ["3574010101800001", "3574010202800002", "3574010303800003"].iter().enumerate() {
/// #     let id = MemberId::from_u128(i as u128 + 1);
/// #     reg.register(Applicant::new(id, nik.parse()?, "Anggota", d(1980, 1, 1), village), d(2025, 7, 1))?;
/// #     reg.record_pokok_payment(id, d(2025, 7, 1))?;
/// #     reg.admit(id, d(2025, 7, 1), "rapat pendirian")?;
/// # }
/// let quorum = Threshold::more_than(1, 2)?;
/// let mut rat = Meeting::open(&reg, MeetingKind::Annual, d(2026, 3, 28), quorum);
/// let [a, b, c] = [1, 2, 3].map(MemberId::from_u128);
/// rat.record_attendance(a)?;
/// rat.record_attendance(b)?;
/// assert!(rat.quorum().reached); // 2 of 3
/// let decision = rat.decide("Pengesahan laporan pertanggungjawaban pengurus 2025",
///     MajorityRule::default(), &[(a, Vote::Yes), (b, Vote::No)])?;
/// assert!(!decision.adopted); // 1 of 2 votes is not more than half
/// assert!(matches!(rat.record_attendance(c), Ok(())));
/// # Ok::<(), koperasi_membership::Error>(())
/// ```
#[doc(alias = "rapat anggota")]
#[doc(alias = "RAT")]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Meeting {
    kind: MeetingKind,
    date: NaiveDate,
    quorum: Threshold,
    voters: BTreeSet<MemberId>,
    present: BTreeSet<MemberId>,
    decisions: Vec<Decision>,
}

impl Meeting {
    /// Opens a meeting on `date` with the registry's voters on that date.
    pub fn open(
        registry: &Registry,
        kind: MeetingKind,
        date: NaiveDate,
        quorum: Threshold,
    ) -> Meeting {
        Meeting {
            kind,
            date,
            quorum,
            voters: registry.voters(date).collect(),
            present: BTreeSet::new(),
            decisions: Vec::new(),
        }
    }

    /// The kind.
    pub fn kind(&self) -> MeetingKind {
        self.kind
    }
    /// The date.
    pub fn date(&self) -> NaiveDate {
        self.date
    }
    /// Members with a vote.
    pub fn voters(&self) -> &BTreeSet<MemberId> {
        &self.voters
    }
    /// Members present.
    pub fn present(&self) -> &BTreeSet<MemberId> {
        &self.present
    }
    /// Decisions in the order taken.
    pub fn decisions(&self) -> &[Decision] {
        &self.decisions
    }

    /// Records a member as present.
    ///
    /// # Errors
    /// [`Error::NoVote`] (not a voter on the meeting date), [`Error::AlreadyPresent`].
    pub fn record_attendance(&mut self, member: MemberId) -> Result<()> {
        if !self.voters.contains(&member) {
            return Err(Error::NoVote { member });
        }
        if !self.present.insert(member) {
            return Err(Error::AlreadyPresent { member });
        }
        Ok(())
    }

    /// The quorum status now.
    pub fn quorum(&self) -> QuorumStatus {
        let eligible = self.voters.len();
        let present = self.present.len();
        QuorumStatus {
            eligible,
            present,
            required: self.quorum.required(eligible),
            reached: self.quorum.met(present, eligible),
        }
    }

    /// Takes a vote on a motion and records the decision. Each present member has one vote
    /// (members who cast no ballot are counted as not voting).
    ///
    /// # Errors
    /// [`Error::EmptyReason`] (empty motion), [`Error::QuorumNotReached`], [`Error::NoVote`],
    /// [`Error::NotPresent`], [`Error::DuplicateBallot`]. Nothing is recorded on error.
    pub fn decide(
        &mut self,
        motion: &str,
        rule: MajorityRule,
        ballots: &[(MemberId, Vote)],
    ) -> Result<&Decision> {
        if motion.trim().is_empty() {
            return Err(Error::EmptyReason);
        }
        let q = self.quorum();
        if !q.reached {
            return Err(Error::QuorumNotReached {
                present: q.present,
                required: q.required,
            });
        }
        let mut seen = BTreeSet::new();
        let mut tally = Tally::default();
        for &(member, vote) in ballots {
            if !self.voters.contains(&member) {
                return Err(Error::NoVote { member });
            }
            if !self.present.contains(&member) {
                return Err(Error::NotPresent { member });
            }
            if !seen.insert(member) {
                return Err(Error::DuplicateBallot { member });
            }
            let slot = match vote {
                Vote::Yes => &mut tally.yes,
                Vote::No => &mut tally.no,
                Vote::Abstain => &mut tally.abstain,
            };
            *slot = slot.saturating_add(1);
        }
        let base = match rule.base {
            VoteBase::Cast => tally.yes.saturating_add(tally.no),
            VoteBase::Present => q.present,
        };
        let adopted = base > 0 && rule.threshold.met(tally.yes, base);
        self.decisions.push(Decision {
            motion: motion.to_owned(),
            tally,
            rule,
            present: q.present,
            adopted,
        });
        self.decisions.last().ok_or(Error::Inconsistent {
            what: "decision not recorded",
        })
    }
}
