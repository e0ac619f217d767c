//! The crate's error type.

use chrono::NaiveDate;
use koperasi_core::{ActorId, MemberId};

use crate::access::{Permission, Subject};
use crate::governance::{Office, Organ, Person};
use crate::member::{MemberStatus, Transition};
use crate::nik::MaskedNik;
use crate::rules::Ineligibility;

/// Everything that can go wrong in this crate. Each rejection reason is its own variant and
/// carries the offending value; an operation that returns an error changed nothing.
///
/// Messages never contain a full NIK (personal data): they show the masked form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    // ----- NIK -----
    /// A character other than a digit, space, `.` or `-`.
    #[error(
        "NIK contains {found:?} at byte offset {offset}; only digits, spaces, '.' and '-' are allowed"
    )]
    NikNonDigit {
        /// Byte offset in the input.
        offset: usize,
        /// The offending character.
        found: char,
    },
    /// Not exactly 16 digits after removing separators.
    #[error("NIK has {digits} digits; expected 16")]
    NikLength {
        /// Number of digits found.
        digits: usize,
    },
    /// The first two digits are not a province code.
    #[error("NIK province code {code:02} (digits 1-2) is not a known province")]
    NikUnknownProvince {
        /// The code.
        code: u8,
    },
    /// The kabupaten/kota code (digits 3–4) is `00`.
    #[error("NIK regency code (digits 3-4) is 00")]
    NikZeroRegency,
    /// The kecamatan code (digits 5–6) is `00`.
    #[error("NIK district code (digits 5-6) is 00")]
    NikZeroDistrict,
    /// The birth-day field (digits 7–8) is neither 01–31 nor 41–71.
    #[error(
        "NIK birth day field (digits 7-8) is {value:02}; expected 01-31 (male) or 41-71 (female)"
    )]
    NikBirthDay {
        /// The two-digit value.
        value: u8,
    },
    /// The birth-month field (digits 9–10) is not 01–12.
    #[error("NIK birth month field (digits 9-10) is {value:02}; expected 01-12")]
    NikBirthMonth {
        /// The two-digit value.
        value: u8,
    },
    /// Day and month do not form a calendar date (e.g. 31 April, 29 February of a non-leap year).
    #[error(
        "NIK birth date {day:02}-{month:02}-..{year_2:02} (digits 7-12) is not a calendar date"
    )]
    NikBirthDate {
        /// Day (female offset removed).
        day: u8,
        /// Month.
        month: u8,
        /// Last two digits of the year.
        year_2: u8,
    },
    /// The serial (digits 13–16) is `0000`.
    #[error("NIK serial (digits 13-16) is 0000")]
    NikZeroSerial,
    /// Neither 19yy nor 20yy gives a plausible age on the reference date.
    #[error("NIK birth year ..{year_2:02} gives no age in {min_age}..={max_age} on {as_of}")]
    NikBirthYear {
        /// Last two digits of the year.
        year_2: u8,
        /// Reference date.
        as_of: NaiveDate,
        /// Youngest plausible age.
        min_age: u32,
        /// Oldest plausible age.
        max_age: u32,
    },

    // ----- village code -----
    /// A village code with a character other than a digit or `.`.
    #[error("village code contains {found:?} at byte offset {offset}")]
    VillageCodeNonDigit {
        /// Byte offset in the input.
        offset: usize,
        /// The offending character.
        found: char,
    },
    /// A village code without exactly 10 digits.
    #[error("village code has {digits} digits; expected 10 (PP.KK.CC.DDDD)")]
    VillageCodeLength {
        /// Number of digits found.
        digits: usize,
    },
    /// A village code whose province, regency, district or village part is invalid.
    #[error("village code part {part} is invalid")]
    VillageCodePart {
        /// `"province"`, `"regency"`, `"district"` or `"village"`.
        part: &'static str,
    },

    // ----- registry -----
    /// A member's name is empty.
    #[error("member name is empty")]
    EmptyName,
    /// The NIK already belongs to a member (one person, one membership).
    #[error("NIK {nik} is already registered to member {existing}")]
    DuplicateNik {
        /// The NIK, masked.
        nik: MaskedNik,
        /// The member holding it.
        existing: MemberId,
    },
    /// The member id is already in use.
    #[error("member id {id} is already registered")]
    DuplicateMemberId {
        /// The id.
        id: MemberId,
    },
    /// No member with this id.
    #[error("no member with id {id}")]
    UnknownMember {
        /// The id.
        id: MemberId,
    },
    /// The applicant does not meet an eligibility rule.
    #[error("applicant {id} is not eligible: {reason}")]
    Ineligible {
        /// The applicant's id.
        id: MemberId,
        /// Which rule failed.
        reason: Ineligibility,
    },

    // ----- lifecycle -----
    /// The transition is not allowed from the member's current status.
    #[error("member {member}: transition {transition:?} is not allowed from status {from:?}")]
    InvalidTransition {
        /// The member.
        member: MemberId,
        /// Current status.
        from: MemberStatus,
        /// The rejected transition.
        transition: Transition,
    },
    /// Admission needs simpanan pokok to be paid first (on or before the admission date).
    #[error("member {member}: simpanan pokok is not paid on or before {on}")]
    PokokNotPaid {
        /// The member.
        member: MemberId,
        /// The admission date asked for.
        on: NaiveDate,
    },
    /// Simpanan pokok was already recorded as paid.
    #[error("member {member}: simpanan pokok already paid on {paid_on}")]
    PokokAlreadyPaid {
        /// The member.
        member: MemberId,
        /// When it was paid.
        paid_on: NaiveDate,
    },
    /// The calon anggota's admission deadline has passed.
    #[error("member {member}: admission on {on} is after the deadline {deadline}")]
    AdmissionDeadlinePassed {
        /// The member.
        member: MemberId,
        /// The deadline.
        deadline: NaiveDate,
        /// The admission date asked for.
        on: NaiveDate,
    },
    /// A dated change lies before the member's last recorded change.
    #[error("member {member}: date {on} is before the last recorded change on {last}")]
    DateBeforeLastChange {
        /// The member.
        member: MemberId,
        /// Date of the last change.
        last: NaiveDate,
        /// The date asked for.
        on: NaiveDate,
    },
    /// A transition or decision without a reason.
    #[error("a reason is required")]
    EmptyReason,
    /// Deserialised data that breaks an invariant (e.g. a status history that skips a step).
    #[error("inconsistent data: {what}")]
    Inconsistent {
        /// What is wrong.
        what: &'static str,
    },

    // ----- organs -----
    /// The person may not hold an office: not an active full member (anggota).
    #[error("member {member} with status {status:?} cannot hold an office")]
    NotElectable {
        /// The member.
        member: MemberId,
        /// Their status.
        status: MemberStatus,
    },
    /// The person already holds a seat on the board.
    #[error("{person} already holds a seat")]
    AlreadySeated {
        /// The person.
        person: Person,
    },
    /// A single-holder office (ketua, sekretaris, bendahara, wakil ketua) is already filled.
    #[error("office {office:?} of the {organ:?} is already filled")]
    OfficeTaken {
        /// The organ.
        organ: Organ,
        /// The office.
        office: Office,
    },
    /// Two related persons (declared kinship) would sit one in the pengurus, one in the pengawas.
    #[error("{a} and {b} are related and cannot sit in pengurus and pengawas together")]
    KinshipConflict {
        /// One person.
        a: Person,
        /// The other.
        b: Person,
    },
    /// An organ has the wrong number of seats.
    #[error("the {organ:?} has {count} seats; at least {min} required{}", if *must_be_odd { ", odd" } else { "" })]
    OrganSize {
        /// The organ.
        organ: Organ,
        /// Seats filled.
        count: usize,
        /// Minimum.
        min: usize,
        /// An odd number is required.
        must_be_odd: bool,
    },
    /// A required office is vacant.
    #[error("office {office:?} of the {organ:?} is vacant")]
    MissingOffice {
        /// The organ.
        organ: Organ,
        /// The office.
        office: Office,
    },
    /// An ex-officio holder where the rules do not allow one, or a seat that the rules reserve
    /// for the kepala desa/lurah held by someone else.
    #[error("office {office:?} of the {organ:?}: ex-officio rule violated")]
    ExOfficio {
        /// The organ.
        organ: Organ,
        /// The office.
        office: Office,
    },
    /// A term of office that ends before it starts, is longer than allowed, or is not current.
    #[error("term {start}..{end} of {person} is invalid on {on}")]
    InvalidTerm {
        /// The holder.
        person: Person,
        /// Term start.
        start: NaiveDate,
        /// Term end.
        end: NaiveDate,
        /// The date checked.
        on: NaiveDate,
    },

    // ----- rapat anggota -----
    /// The member has no vote in this meeting.
    #[error("member {member} has no vote in this meeting")]
    NoVote {
        /// The member.
        member: MemberId,
    },
    /// Attendance recorded twice.
    #[error("member {member} is already recorded as present")]
    AlreadyPresent {
        /// The member.
        member: MemberId,
    },
    /// A ballot from a member who is not recorded as present.
    #[error("member {member} is not present")]
    NotPresent {
        /// The member.
        member: MemberId,
    },
    /// A member voted twice on one motion.
    #[error("member {member} voted more than once")]
    DuplicateBallot {
        /// The member.
        member: MemberId,
    },
    /// The meeting is not quorate.
    #[error("quorum not reached: {present} present, {required} required")]
    QuorumNotReached {
        /// Members present.
        present: usize,
        /// Members required.
        required: usize,
    },
    /// A fraction with a zero denominator or a numerator above the denominator.
    #[error("invalid fraction {numerator}/{denominator}")]
    InvalidFraction {
        /// Numerator.
        numerator: u32,
        /// Denominator.
        denominator: u32,
    },

    // ----- access control -----
    /// The actor lacks the permission.
    #[error("actor {actor} lacks permission {permission:?} for {subject}")]
    PermissionDenied {
        /// The actor.
        actor: ActorId,
        /// The missing permission.
        permission: Permission,
        /// What was accessed.
        subject: Subject,
    },
    /// The actor has no grant at all.
    #[error("unknown actor {actor}")]
    UnknownActor {
        /// The actor.
        actor: ActorId,
    },
    /// Maker and checker are the same person.
    #[error("maker {maker} cannot also be the checker ({checker})")]
    SameActor {
        /// The maker.
        maker: ActorId,
        /// The would-be checker.
        checker: ActorId,
    },
    /// The approval was already approved or rejected.
    #[error("the approval is already decided")]
    AlreadyDecided,
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;
