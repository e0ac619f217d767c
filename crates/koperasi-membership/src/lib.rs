//! # koperasi-membership — members of an Indonesian cooperative
//!
//! NIK validation ([`Nik`]), the member registry with unique NIKs and eligibility rules
//! ([`Registry`]), the lifecycle calon anggota → anggota → keluar / diberhentikan / meninggal
//! ([`MemberStatus`], [`Transition`]), the organs and the Rapat Anggota ([`Board`],
//! [`Meeting`]), and who may do what ([`AccessControl`], maker-checker [`Approval`]).
//!
//! Built for the Koperasi Desa/Kelurahan Merah Putih programme (domain notes §1): every AD/ART
//! rule is configuration with the documented default ([`MembershipRules`],
//! [`GovernanceRules`], [`RolePolicy`], [`MakerCheckerRules`]). A pure library: dates are passed
//! in, ids are minted by the caller, no I/O.
//!
//! ## Example: from NIK to anggota, with permissions
//!
//! ```
//! use chrono::NaiveDate;
//! use koperasi_core::{ActorId, MemberId};
//! use koperasi_membership::*;
//!
//! let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
//!
//! // The NIK of Siti Rahayu, born 5 June 1990 (female: day + 40), registered in Kota Probolinggo.
//! let nik = Nik::parse("3574 0145 0690 0001")?;
//! let parts = nik.decode(d(2026, 1, 5), &CenturyRule::default())?;
//! assert_eq!(parts.province.name(), "Jawa Timur");
//! assert_eq!(parts.birth_date, d(1990, 6, 5));
//! assert_eq!(parts.gender, Gender::Female);
//! assert_eq!(nik.masked().to_string(), "3574**********01"); // for reports
//!
//! // Koperasi Kelurahan Merah Putih: members must live in the kelurahan.
//! let kelurahan: VillageCode = "35.74.01.1001".parse()?;
//! let mut registry = Registry::new(MembershipRules::kdmp(kelurahan));
//! let siti = MemberId::from_u128(1);
//! registry.register(Applicant::new(siti, nik, "Siti Rahayu", d(1990, 6, 5), kelurahan), d(2026, 1, 5))?;
//! assert_eq!(registry.get(siti).map(Member::status), Some(MemberStatus::Candidate));
//!
//! // Who may admit her? The sekretaris (ManageMembers); the kasir may not.
//! let [sekretaris, kasir] = [10, 11].map(ActorId::from_u128);
//! let mut acl = AccessControl::default();
//! acl.grant(sekretaris, Role::Secretary);
//! acl.grant(kasir, Role::Teller);
//! acl.check(sekretaris, Permission::ManageMembers, Subject::Member(siti))?;
//! assert!(matches!(
//!     acl.check(kasir, Permission::ManageMembers, Subject::Member(siti)),
//!     Err(Error::PermissionDenied { permission: Permission::ManageMembers, .. })
//! ));
//!
//! // Simpanan pokok paid, then admitted within the 3-month deadline.
//! registry.record_pokok_payment(siti, d(2026, 1, 10))?;
//! registry.admit(siti, d(2026, 1, 15), "SK pengurus 03/2026")?;
//! assert_eq!(registry.counts().get(MemberStatus::Member), 1);
//!
//! // An invalid transition is a typed error and changes nothing.
//! registry.resign(siti, d(2026, 6, 1), "surat pengunduran diri")?;
//! assert!(matches!(
//!     registry.admit(siti, d(2026, 6, 2), "salah input"),
//!     Err(Error::InvalidTransition { from: MemberStatus::Resigned, .. })
//! ));
//! # Ok::<(), koperasi_membership::Error>(())
//! ```
//!
//! ## Glossary
//!
//! | Indonesian | API |
//! |---|---|
//! | NIK (Nomor Induk Kependudukan), KTP | [`Nik`], [`NikParts`], [`MaskedNik`] |
//! | provinsi; kabupaten/kota; kecamatan | [`Province`], [`Nik::regency_code`], [`Nik::district_code`] |
//! | kode desa/kelurahan, domisili | [`VillageCode`], [`Applicant::domicile`] |
//! | jenis kelamin | [`Gender`] |
//! | anggota | [`Member`], [`MemberStatus::Member`] |
//! | calon anggota | [`MemberStatus::Candidate`] |
//! | anggota luar biasa | [`MemberStatus::Associate`], [`MembershipKind::Associate`] |
//! | keluar / diberhentikan / meninggal | [`MemberStatus::Resigned`] / [`Dismissed`](MemberStatus::Dismissed) / [`Deceased`](MemberStatus::Deceased), [`Transition`] |
//! | buku daftar anggota | [`Registry`] |
//! | simpanan pokok (paid) | [`Registry::record_pokok_payment`] |
//! | WNI / WNA | [`Citizenship`] |
//! | pengurus / pengawas | [`Organ::Management`] / [`Organ::Supervisory`], [`Board`] |
//! | ketua, wakil ketua, sekretaris, bendahara | [`Office`], [`Role`] |
//! | kepala desa / lurah (ex officio ketua pengawas) | [`Person::ExOfficio`], [`GovernanceRules::ex_officio_supervisory_chair`] |
//! | masa jabatan | [`Term`] |
//! | hubungan keluarga (sedarah/semenda) | [`Board::declare_kinship`] |
//! | Rapat Anggota (Tahunan, Luar Biasa) | [`Meeting`], [`MeetingKind`] |
//! | kuorum | [`Meeting::quorum`], [`Threshold`] |
//! | satu anggota satu suara; keputusan | [`Vote`], [`Tally`], [`Decision`] |
//! | hak akses, wewenang | [`Permission`], [`Role`], [`AccessControl`] |
//! | Dinas Koperasi (pengawas eksternal) | [`Role::ExternalSupervisor`] |
//! | persetujuan dua orang (maker-checker) | [`Approval`], [`MakerCheckerRules`] |
//!
//! ## Invariants (each has a named property test)
//! * Every generated valid NIK parses and decodes back to its parts — `prop_valid_nik_round_trips`.
//! * A non-digit, a wrong length, a bad date or a zero serial is rejected —
//!   `prop_non_digit_rejected`, `prop_wrong_length_rejected`, `prop_bad_date_rejected`,
//!   `prop_zero_serial_rejected`; arbitrary input never panics — `prop_parse_never_panics`.
//! * The registry never holds two members with one NIK — `prop_registry_nik_unique`.
//! * No sequence of operations reaches an invalid status; a rejected operation changes
//!   nothing — `prop_lifecycle_stays_valid`.
//! * Maker-checker is never satisfied by one actor — `prop_maker_checker_needs_two`.
//! * A quorum or majority threshold's required count is the least count meeting it —
//!   `prop_threshold_required_is_minimal`.
//!
//! ## Personal data
//! A NIK is personal data. `Nik`'s `Debug` and every error message show the masked form
//! ([`Nik::masked`]); use [`Permission::ViewPersonalData`] checks before showing the full form.
//!
//! ## Panics
//! No function of this crate panics on any input: errors are returned as [`Error`]. The lints
//! `unwrap_used`, `expect_used`, `panic`, `indexing_slicing` and `arithmetic_side_effects` are
//! denied outside tests.
//!
//! ## Crate features
//! * `serde` — `Serialize`/`Deserialize` for every public data type. A NIK is its 16-digit
//!   string and is re-validated on deserialisation; a [`Registry`] serialises as its rules and
//!   records and rebuilds and re-checks its indexes (unique NIK and id, valid histories) when
//!   deserialised. [`Authorized`] is serialise-only (only this crate creates it).
//! * `proptest` — [`strategy`], proptest strategies for NIKs.
#![deny(missing_docs)]
#![warn(unreachable_pub)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects,
        clippy::print_stdout,
        clippy::print_stderr
    )
)]

mod access;
mod error;
mod governance;
mod member;
mod nik;
mod registry;
mod rules;
mod village;

#[cfg(any(test, feature = "proptest"))]
pub mod strategy;

#[cfg(test)]
mod tests;

pub use access::{
    AccessControl, Approval, ApprovalState, Authorization, Authorized, ControlledOp, Grant,
    MakerCheckerRules, Permission, PermissionSet, Role, RolePolicy, Subject,
};
pub use error::{Error, Result};
pub use governance::{
    Board, Decision, GovernanceRules, MajorityRule, Meeting, MeetingKind, Office, Organ, OrganSize,
    Person, QuorumStatus, Seat, Tally, Term, Threshold, Vote, VoteBase,
};
pub use member::{
    Applicant, Citizenship, Member, MemberStatus, MembershipKind, StatusChange, Transition,
};
pub use nik::{BirthDate, CenturyRule, Gender, MaskedNik, Nik, NikParts, PROVINCES, Province};
pub use registry::{Registration, RegistrationWarning, Registry, StatusCounts};
pub use rules::{AdmissionRules, DeadlineAnchor, EligibilityRules, Ineligibility, MembershipRules};
pub use village::VillageCode;
