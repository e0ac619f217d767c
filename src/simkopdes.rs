//! The SIMKOPDES export: the fields the national cooperative information system (Sistem
//! Informasi Manajemen Koperasi Desa, Kemenkop) is known to track, read from a book as of a
//! date, so a pengurus can copy them into SIMKOPDES by hand.
//!
//! **It mirrors the published fields and uploads nothing**: no SIMKOPDES API or import
//! template has been published (`docs/decisions.md`). The fields follow the user guides of
//! SIMKOPDES' modules (anggota; pengurus, pengawas and karyawan with jabatan; *Simpanan → Buat
//! Tagihan*; unit usaha/gerai):
//!
//! * **members**: NIK (masked unless asked for in full), name, status and its date of
//!   registration and admission;
//! * **officers**: the book's founding pengurus, pengawas and staff with their office
//!   (jabatan) — the book knows actors by id, not by name;
//! * **savings bills**: per member, simpanan pokok (one bill) and simpanan wajib (monthly since
//!   admission): the bill amount, months billed, billed total, balance and arrears as of the
//!   date, and whether it is paid (*lunas*);
//! * **units**: each business unit with its revenue in the fiscal year to date and its status
//!   (*beroperasi* when it had revenue, else *belum beroperasi*).

use std::collections::HashMap;

use koperasi_core::chrono::{Datelike, NaiveDate};
use koperasi_core::{MemberId, Rupiah};
use koperasi_ledger::{BusinessUnit, Side, kkmp};
use koperasi_membership::Role;
use koperasi_savings_loans::SavingsKind;

use crate::book::Koperasi;
use crate::error::{Result, ledger};
use crate::posting::PostingRole as R;

/// A member as SIMKOPDES lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct MemberRecord {
    /// NIK: masked (`3574********0001`) unless the export was asked for in full.
    pub nik: String,
    /// Name.
    pub name: String,
    /// Status on the date (`anggota`, `calon anggota`, `keluar` …).
    pub status: String,
    /// Registration date.
    pub registered_on: NaiveDate,
    /// Admission date (simpanan pokok paid), if admitted.
    pub admitted_on: Option<NaiveDate>,
}

/// A pengurus, pengawas or staff member with their office.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct OfficerRecord {
    /// The actor id in the book.
    pub actor: String,
    /// Organ: `pengurus`, `pengawas` or `karyawan`.
    pub organ: String,
    /// Office (jabatan), e.g. `Ketua`, `Bendahara`, `Kasir`.
    pub office: String,
}

/// One savings bill of one member (SIMKOPDES *Simpanan → Buat Tagihan*).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct SavingsBill {
    /// The member's NIK (masked like [`MemberRecord::nik`]).
    pub nik: String,
    /// The member's name.
    pub name: String,
    /// `pokok` (one bill) or `wajib` (monthly).
    pub kind: String,
    /// The amount of one bill.
    pub amount: Rupiah,
    /// Bills issued by the date (1 for pokok; months since admission for wajib).
    pub bills: u32,
    /// Σ billed.
    pub billed: Rupiah,
    /// Balance of the member's account of this kind on the date.
    pub balance: Rupiah,
    /// Billed and not paid on the date.
    pub arrears: Rupiah,
    /// Nothing in arrears.
    pub paid: bool,
}

/// A business unit (gerai) and its status.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct UnitRecord {
    /// Unit number in the standard chart (`01` simpan pinjam … `07` kantor koperasi).
    pub number: String,
    /// Name.
    pub name: String,
    /// Revenue in the fiscal year to the date.
    pub revenue: Rupiah,
    /// `beroperasi` (had revenue) or `belum beroperasi`.
    pub status: String,
}

/// The SIMKOPDES export of a book on a date.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct SimkopdesExport {
    /// What this is: it mirrors the published fields and uploads nothing.
    pub notice: &'static str,
    /// The date.
    pub as_of: NaiveDate,
    /// The cooperative's name.
    pub cooperative: String,
    /// Its village code (kode wilayah).
    pub village: String,
    /// Members in registration order.
    pub members: Vec<MemberRecord>,
    /// Pengurus, pengawas and staff.
    pub officers: Vec<OfficerRecord>,
    /// Savings bills per member (pokok, wajib).
    pub savings_bills: Vec<SavingsBill>,
    /// Business units.
    pub units: Vec<UnitRecord>,
}

/// The notice carried by every export.
pub const NOTICE: &str = "Ekspor untuk diisikan ke SIMKOPDES secara manual: mengikuti kolom yang \
     dipublikasikan, tidak mengunggah apa pun.";

fn office(role: Role) -> (&'static str, &'static str) {
    match role {
        Role::Chair => ("pengurus", "Ketua"),
        Role::ViceChair => ("pengurus", "Wakil Ketua"),
        Role::Secretary => ("pengurus", "Sekretaris"),
        Role::Treasurer => ("pengurus", "Bendahara"),
        Role::ManagementMember => ("pengurus", "Anggota Pengurus"),
        Role::Supervisor => ("pengawas", "Pengawas"),
        Role::ExternalSupervisor => ("pengawas", "Pengawas Eksternal"),
        Role::Manager => ("karyawan", "Manajer"),
        Role::Teller => ("karyawan", "Kasir"),
        _ => ("lainnya", "Lainnya"),
    }
}

/// Months from `from`'s month to `to`'s month, both included (0 if `to` is earlier).
fn months_inclusive(from: NaiveDate, to: NaiveDate) -> u32 {
    let a = from
        .year()
        .saturating_mul(12)
        .saturating_add(i32::try_from(from.month0()).unwrap_or(0));
    let b = to
        .year()
        .saturating_mul(12)
        .saturating_add(i32::try_from(to.month0()).unwrap_or(0));
    u32::try_from(b.saturating_sub(a).saturating_add(1)).unwrap_or(0)
}

impl Koperasi {
    /// The SIMKOPDES export of this book as of `as_of` (see the [module](crate::simkopdes)
    /// documentation); NIKs masked unless `full_nik` (the file then holds personal data).
    ///
    /// # Errors
    /// [`Error::Ledger`](crate::Error::Ledger) or [`Error::Core`](crate::Error::Core) on a
    /// failed query or an amount beyond `Rupiah`'s range.
    #[doc(alias = "SIMKOPDES")]
    pub fn simkopdes_export(&self, as_of: NaiveDate, full_nik: bool) -> Result<SimkopdesExport> {
        let op = "simkopdes export";
        let config = self.config();
        let per_member = |kind: SavingsKind| -> Result<HashMap<MemberId, Rupiah>> {
            let code = self.code(R::MemberSavings(kind));
            Ok(self
                .ledger()
                .balance_by_dimension(&code, as_of)
                .map_err(ledger(op))?
                .into_iter()
                .filter_map(|(d, b)| d.member.map(|m| (m, b.on_side(Side::Credit))))
                .collect())
        };
        let pokok = per_member(SavingsKind::Principal)?;
        let wajib = per_member(SavingsKind::Mandatory)?;
        let mut members = Vec::new();
        let mut savings_bills = Vec::new();
        for m in self.registry().members() {
            let Some(status) = m.status_on(as_of) else {
                continue;
            };
            let nik = if full_nik {
                m.nik().to_string()
            } else {
                m.nik().masked().to_string()
            };
            let admitted = m.admitted_on().filter(|d| *d <= as_of);
            members.push(MemberRecord {
                nik: nik.clone(),
                name: m.name().to_owned(),
                status: status.label_id().to_owned(),
                registered_on: m.registered_on(),
                admitted_on: admitted,
            });
            let mut bill =
                |kind: &str, amount: Rupiah, bills: u32, balance: Rupiah| -> Result<()> {
                    let billed = amount.checked_mul_int(i128::from(bills))?;
                    let arrears = billed.checked_sub(balance)?.max(Rupiah::ZERO);
                    savings_bills.push(SavingsBill {
                        nik: nik.clone(),
                        name: m.name().to_owned(),
                        kind: kind.to_owned(),
                        amount,
                        bills,
                        billed,
                        balance,
                        arrears,
                        paid: arrears.is_zero(),
                    });
                    Ok(())
                };
            if status.is_active() {
                let id = m.id();
                bill(
                    "pokok",
                    config.pokok,
                    1,
                    pokok.get(&id).copied().unwrap_or(Rupiah::ZERO),
                )?;
                if let Some(from) = admitted {
                    bill(
                        "wajib",
                        config.wajib,
                        months_inclusive(from, as_of),
                        wajib.get(&id).copied().unwrap_or(Rupiah::ZERO),
                    )?;
                }
            }
        }
        let officers = config
            .founders
            .iter()
            .map(|(actor, role)| {
                let (organ, office) = office(*role);
                OfficerRecord {
                    actor: actor.to_string(),
                    organ: organ.to_owned(),
                    office: office.to_owned(),
                }
            })
            .collect();
        let year = self.fiscal_year(as_of)?;
        let period = koperasi_core::Period::new(year.start(), as_of.max(year.start()))?;
        let phu = self.statements(period, None)?.income_statement;
        let mut units = Vec::new();
        for (number, name) in kkmp::UNITS {
            let unit = number
                .parse::<u16>()
                .ok()
                .and_then(BusinessUnit::from_number);
            let revenue = phu
                .by_unit
                .iter()
                .filter(|u| u.unit.is_some() && u.unit == unit)
                .try_fold(Rupiah::ZERO, |t, u| {
                    Rupiah::try_sum([t, u.member_revenue, u.non_member_revenue, u.other_revenue])
                })?;
            units.push(UnitRecord {
                number: number.to_owned(),
                name: name.to_owned(),
                revenue,
                status: if revenue.is_positive() {
                    "beroperasi"
                } else {
                    "belum beroperasi"
                }
                .to_owned(),
            });
        }
        Ok(SimkopdesExport {
            notice: NOTICE,
            as_of,
            cooperative: config.name.clone(),
            village: config.village.to_string(),
            members,
            officers,
            savings_bills,
            units,
        })
    }
}
