//! The standard chart of accounts of a Koperasi Desa/Kelurahan Merah Putih (KDMP/KKMP), and
//! the stable codes of its accounts.
//!
//! Follows the project's proposed chart (SAK EP classes; member/non-member revenue split;
//! the business unit is a *dimension* of every line, and revenue and HPP also have one account
//! per unit so the PHU shows them apart). The codes below are **stable**: embedders and the
//! umbrella book map posting roles to them.
//!
//! Unit numbering is the same everywhere: `01` simpan pinjam, `02` kios sembako, `03` klinik,
//! `04` apotek, `05` pergudangan/cold storage, `06` sarana logistik, `07` kantor koperasi
//! (agen, layanan). So `4-1-02` is sales of sembako to members, `4-2-02` to non-members and
//! `5-1-02` its HPP.
//!
//! Simpanan pokok and wajib appear twice, as equity (`3-1-01`, `3-1-02`, the legacy
//! presentation) and as long-term liabilities (`2-2-03`, `2-2-04`, SAK EP when the AD gives
//! no unconditional right to refuse redemption, domain notes §2.2): the embedder posts to the
//! pair its classification policy chooses.

use crate::chart::{Account, AccountClass, AccountKind, BalanceLimit, ChartOfAccounts};
use crate::error::Result;

/// Kas (cash on hand). Limit: never below zero.
pub const KAS: &str = "1-1-01";
/// Bank (giro/tabungan koperasi). Limit: never below zero.
pub const BANK: &str = "1-1-02";
/// Piutang pinjaman anggota (loans to members).
pub const PIUTANG_PINJAMAN: &str = "1-1-03";
/// Cadangan kerugian pinjaman / PPAP (allowance for loan losses, contra asset).
pub const PPAP: &str = "1-1-04";
/// Piutang bunga/jasa pinjaman (interest receivable).
pub const PIUTANG_JASA: &str = "1-1-05";
/// Persediaan barang (sembako, obat, LPG, pupuk…).
pub const PERSEDIAAN: &str = "1-1-06";
/// Piutang usaha (trade receivables).
pub const PIUTANG_USAHA: &str = "1-1-07";
/// Biaya dibayar dimuka (prepaid expenses).
pub const BIAYA_DIBAYAR_DIMUKA: &str = "1-1-08";
/// Piutang QRIS dari PJP (settlement receivable from the payment provider).
pub const PIUTANG_QRIS: &str = "1-1-09";
/// Piutang pinjaman koperasi lain (loans to other cooperatives).
pub const PIUTANG_PINJAMAN_KOPERASI: &str = "1-1-10";
/// Tanah (land).
pub const TANAH: &str = "1-2-01";
/// Gedung dan gerai (buildings, outlets).
pub const GEDUNG: &str = "1-2-02";
/// Gudang dan cold storage.
pub const GUDANG: &str = "1-2-03";
/// Kendaraan logistik.
pub const KENDARAAN: &str = "1-2-04";
/// Peralatan (equipment).
pub const PERALATAN: &str = "1-2-05";
/// Akumulasi penyusutan (accumulated depreciation, contra asset).
pub const AKUMULASI_PENYUSUTAN: &str = "1-2-06";
/// Penyertaan pada koperasi sekunder.
pub const PENYERTAAN: &str = "1-2-07";
/// Simpanan sukarela (voluntary savings, liability). Limit: never below zero.
pub const SIMPANAN_SUKARELA: &str = "2-1-01";
/// Simpanan berjangka (time deposits, liability). Limit: never below zero.
pub const SIMPANAN_BERJANGKA: &str = "2-1-02";
/// Utang usaha (trade payables).
pub const UTANG_USAHA: &str = "2-1-03";
/// Utang bunga/jasa simpanan (interest payable on savings).
pub const UTANG_JASA_SIMPANAN: &str = "2-1-04";
/// Dana pengurus (SHU fund).
pub const DANA_PENGURUS: &str = "2-1-05";
/// Dana karyawan (SHU fund).
pub const DANA_KARYAWAN: &str = "2-1-06";
/// Dana pendidikan (SHU fund).
pub const DANA_PENDIDIKAN: &str = "2-1-07";
/// Dana sosial (SHU fund).
pub const DANA_SOSIAL: &str = "2-1-08";
/// Dana pembangunan daerah kerja (SHU fund).
pub const DANA_PEMBANGUNAN_DAERAH: &str = "2-1-09";
/// Utang SHU anggota (members' SHU payable).
pub const UTANG_SHU_ANGGOTA: &str = "2-1-10";
/// Utang imbal jasa desa: the desa's share (≥ 20%) of annual net profit (Permendes 10/2025).
pub const UTANG_IMBAL_JASA_DESA: &str = "2-1-11";
/// Pengembalian simpanan anggota keluar (savings refundable to leaving members).
pub const UTANG_ANGGOTA_KELUAR: &str = "2-1-12";
/// Utang pajak (taxes payable).
pub const UTANG_PAJAK: &str = "2-1-13";
/// Utang biaya QRIS / MDR to the PJP.
pub const UTANG_PJP: &str = "2-1-14";
/// Bunga pinjaman Himbara yang masih harus dibayar: interest on the Himbara loan incurred
/// and not yet paid, accrued at month-end.
pub const UTANG_BUNGA_HIMBARA: &str = "2-1-15";
/// Pinjaman bank Himbara (PMK 49/2025).
pub const PINJAMAN_HIMBARA: &str = "2-2-01";
/// Utang kepada desa/pemda for a placement of Dana Desa/DAU/DBH (PMK 49/2025 Pasal 11).
pub const UTANG_DESA: &str = "2-2-02";
/// Simpanan pokok classified as a liability (SAK EP).
pub const SIMPANAN_POKOK_LIABILITAS: &str = "2-2-03";
/// Simpanan wajib classified as a liability (SAK EP).
pub const SIMPANAN_WAJIB_LIABILITAS: &str = "2-2-04";
/// Simpanan pokok (equity).
pub const SIMPANAN_POKOK: &str = "3-1-01";
/// Simpanan wajib (equity).
pub const SIMPANAN_WAJIB: &str = "3-1-02";
/// Modal penyertaan.
pub const MODAL_PENYERTAAN: &str = "3-1-03";
/// Hibah / donasi.
pub const HIBAH: &str = "3-1-04";
/// Cadangan (reserve).
pub const CADANGAN: &str = "3-2-01";
/// SHU tahun berjalan (result of the current year; year-end closing credits it).
pub const SHU_TAHUN_BERJALAN: &str = "3-2-02";
/// SHU belum dibagi (undistributed SHU of past years).
pub const SHU_BELUM_DIBAGI: &str = "3-2-03";
/// Pendapatan denda (late-payment penalties).
pub const PENDAPATAN_DENDA: &str = "4-3-01";
/// Pendapatan administrasi/provisi.
pub const PENDAPATAN_ADMINISTRASI: &str = "4-3-02";
/// Pendapatan jasa giro / bunga bank.
pub const PENDAPATAN_BUNGA_BANK: &str = "4-3-03";
/// Pendapatan lain-lain.
pub const PENDAPATAN_LAIN: &str = "4-3-04";
/// Beban gaji dan tunjangan.
pub const BEBAN_GAJI: &str = "6-1-01";
/// Beban listrik, air, telepon.
pub const BEBAN_UTILITAS: &str = "6-1-02";
/// Beban penyusutan.
pub const BEBAN_PENYUSUTAN: &str = "6-1-03";
/// Beban penyisihan kerugian pinjaman (PPAP expense).
pub const BEBAN_PPAP: &str = "6-1-04";
/// Beban bunga pinjaman bank (Himbara).
pub const BEBAN_BUNGA_BANK: &str = "6-1-05";
/// Beban administrasi dan umum.
pub const BEBAN_ADMINISTRASI: &str = "6-1-06";
/// Beban MDR QRIS (payment provider fees).
pub const BEBAN_MDR_QRIS: &str = "6-1-07";
/// Beban lain-lain.
pub const BEBAN_LAIN: &str = "6-1-08";
/// Beban jasa simpanan anggota (interest on member savings).
pub const BEBAN_JASA_SIMPANAN: &str = "6-1-09";
/// Beban RAT (beban perkoperasian).
pub const BEBAN_RAT: &str = "7-1-01";
/// Beban pendidikan anggota (beban perkoperasian).
pub const BEBAN_PENDIDIKAN: &str = "7-1-02";
/// Beban pengawasan (beban perkoperasian).
pub const BEBAN_PENGAWASAN: &str = "7-1-03";
/// Beban rapat pengurus (beban perkoperasian).
pub const BEBAN_RAPAT_PENGURUS: &str = "7-1-04";
/// Beban pajak penghasilan.
pub const BEBAN_PAJAK: &str = "8-1-01";

/// The seven KDMP business units in the chart's unit numbering, with their names.
pub const UNITS: [(&str, &str); 7] = [
    ("01", "Simpan pinjam"),
    ("02", "Kios sembako"),
    ("03", "Klinik desa/kelurahan"),
    ("04", "Apotek desa/kelurahan"),
    ("05", "Pergudangan/cold storage"),
    ("06", "Sarana logistik"),
    ("07", "Kantor koperasi (agen, layanan)"),
];

/// Member revenue (partisipasi anggota) account of unit `nn` (`"01"`…`"07"`): `4-1-nn`.
pub fn member_revenue(unit: &str) -> String {
    format!("4-1-{unit}")
}

/// Non-member revenue account of unit `nn`: `4-2-nn`.
pub fn non_member_revenue(unit: &str) -> String {
    format!("4-2-{unit}")
}

/// HPP / beban pokok account of unit `nn`: `5-1-nn`.
pub fn cost_of_sales(unit: &str) -> String {
    format!("5-1-{unit}")
}

const MEMBER_REVENUE: [&str; 7] = [
    "Pendapatan jasa pinjaman anggota",
    "Penjualan sembako kepada anggota",
    "Pendapatan klinik dari anggota",
    "Penjualan apotek kepada anggota",
    "Pendapatan pergudangan dari anggota",
    "Pendapatan logistik dari anggota",
    "Pendapatan layanan kantor dari anggota",
];
const NON_MEMBER_REVENUE: [&str; 7] = [
    "Pendapatan jasa pinjaman koperasi lain",
    "Penjualan sembako kepada non-anggota",
    "Pendapatan klinik dari non-anggota",
    "Penjualan apotek kepada non-anggota",
    "Pendapatan pergudangan dari non-anggota",
    "Pendapatan logistik dari non-anggota",
    "Pendapatan layanan kantor dari non-anggota",
];
const COST_OF_SALES: [&str; 7] = [
    "Beban pokok simpan pinjam",
    "HPP sembako",
    "Beban pokok layanan klinik",
    "HPP apotek",
    "Beban pokok pergudangan",
    "Beban pokok logistik",
    "Beban pokok layanan kantor",
];

pub(crate) fn standard() -> Result<ChartOfAccounts> {
    use AccountClass::{Asset, Equity, Expense, Liability, Revenue};
    let h = Account::header;
    let p = Account::postable;
    let never_negative_debit = BalanceLimit::CreditsMustNotExceedDebits;
    let never_negative_credit = BalanceLimit::DebitsMustNotExceedCredits;
    let mut v = vec![
        h("1", "Aset", Asset)?,
        h("1-1", "Aset lancar", Asset)?.with_parent("1")?,
        p(KAS, "Kas", Asset)?
            .with_parent("1-1")?
            .with_limit(never_negative_debit),
        p(BANK, "Bank", Asset)?
            .with_parent("1-1")?
            .with_limit(never_negative_debit),
        p(PIUTANG_PINJAMAN, "Piutang pinjaman anggota", Asset)?.with_parent("1-1")?,
        p(PPAP, "Cadangan kerugian pinjaman (PPAP)", Asset)?
            .with_parent("1-1")?
            .contra(),
        p(PIUTANG_JASA, "Piutang jasa pinjaman", Asset)?.with_parent("1-1")?,
        p(PERSEDIAAN, "Persediaan barang", Asset)?.with_parent("1-1")?,
        p(PIUTANG_USAHA, "Piutang usaha", Asset)?.with_parent("1-1")?,
        p(BIAYA_DIBAYAR_DIMUKA, "Biaya dibayar dimuka", Asset)?.with_parent("1-1")?,
        p(PIUTANG_QRIS, "Piutang QRIS dari PJP", Asset)?.with_parent("1-1")?,
        p(
            PIUTANG_PINJAMAN_KOPERASI,
            "Piutang pinjaman koperasi lain",
            Asset,
        )?
        .with_parent("1-1")?,
        h("1-2", "Aset tidak lancar", Asset)?.with_parent("1")?,
        p(TANAH, "Tanah", Asset)?.with_parent("1-2")?,
        p(GEDUNG, "Gedung dan gerai", Asset)?.with_parent("1-2")?,
        p(GUDANG, "Gudang dan cold storage", Asset)?.with_parent("1-2")?,
        p(KENDARAAN, "Kendaraan logistik", Asset)?.with_parent("1-2")?,
        p(PERALATAN, "Peralatan", Asset)?.with_parent("1-2")?,
        p(AKUMULASI_PENYUSUTAN, "Akumulasi penyusutan", Asset)?
            .with_parent("1-2")?
            .contra(),
        p(PENYERTAAN, "Penyertaan pada koperasi sekunder", Asset)?.with_parent("1-2")?,
        h("2", "Liabilitas", Liability)?,
        h("2-1", "Liabilitas jangka pendek", Liability)?.with_parent("2")?,
        p(SIMPANAN_SUKARELA, "Simpanan sukarela", Liability)?
            .with_parent("2-1")?
            .with_limit(never_negative_credit),
        p(SIMPANAN_BERJANGKA, "Simpanan berjangka", Liability)?
            .with_parent("2-1")?
            .with_limit(never_negative_credit),
        p(UTANG_USAHA, "Utang usaha", Liability)?.with_parent("2-1")?,
        p(UTANG_JASA_SIMPANAN, "Utang jasa simpanan", Liability)?.with_parent("2-1")?,
        p(DANA_PENGURUS, "Dana pengurus", Liability)?.with_parent("2-1")?,
        p(DANA_KARYAWAN, "Dana karyawan", Liability)?.with_parent("2-1")?,
        p(DANA_PENDIDIKAN, "Dana pendidikan", Liability)?.with_parent("2-1")?,
        p(DANA_SOSIAL, "Dana sosial", Liability)?.with_parent("2-1")?,
        p(
            DANA_PEMBANGUNAN_DAERAH,
            "Dana pembangunan daerah kerja",
            Liability,
        )?
        .with_parent("2-1")?,
        p(UTANG_SHU_ANGGOTA, "Utang SHU anggota", Liability)?.with_parent("2-1")?,
        p(UTANG_IMBAL_JASA_DESA, "Utang imbal jasa desa", Liability)?.with_parent("2-1")?,
        p(
            UTANG_ANGGOTA_KELUAR,
            "Pengembalian simpanan anggota keluar",
            Liability,
        )?
        .with_parent("2-1")?,
        p(UTANG_PAJAK, "Utang pajak", Liability)?.with_parent("2-1")?,
        p(UTANG_PJP, "Utang biaya QRIS kepada PJP", Liability)?.with_parent("2-1")?,
        p(
            UTANG_BUNGA_HIMBARA,
            "Bunga pinjaman Himbara yang masih harus dibayar",
            Liability,
        )?
        .with_parent("2-1")?,
        h("2-2", "Liabilitas jangka panjang", Liability)?.with_parent("2")?,
        p(PINJAMAN_HIMBARA, "Pinjaman bank Himbara", Liability)?.with_parent("2-2")?,
        p(
            UTANG_DESA,
            "Utang kepada desa/pemda (penempatan Dana Desa/DAU/DBH)",
            Liability,
        )?
        .with_parent("2-2")?,
        p(
            SIMPANAN_POKOK_LIABILITAS,
            "Simpanan pokok (liabilitas)",
            Liability,
        )?
        .with_parent("2-2")?
        .with_limit(never_negative_credit),
        p(
            SIMPANAN_WAJIB_LIABILITAS,
            "Simpanan wajib (liabilitas)",
            Liability,
        )?
        .with_parent("2-2")?
        .with_limit(never_negative_credit),
        h("3", "Ekuitas", Equity)?,
        h("3-1", "Modal", Equity)?.with_parent("3")?,
        p(SIMPANAN_POKOK, "Simpanan pokok", Equity)?
            .with_parent("3-1")?
            .with_limit(never_negative_credit),
        p(SIMPANAN_WAJIB, "Simpanan wajib", Equity)?
            .with_parent("3-1")?
            .with_limit(never_negative_credit),
        p(MODAL_PENYERTAAN, "Modal penyertaan", Equity)?.with_parent("3-1")?,
        p(HIBAH, "Hibah dan donasi", Equity)?.with_parent("3-1")?,
        h("3-2", "Cadangan dan SHU", Equity)?.with_parent("3")?,
        p(CADANGAN, "Cadangan", Equity)?.with_parent("3-2")?,
        p(SHU_TAHUN_BERJALAN, "SHU tahun berjalan", Equity)?.with_parent("3-2")?,
        p(SHU_BELUM_DIBAGI, "SHU belum dibagi", Equity)?.with_parent("3-2")?,
        h("4", "Pendapatan", Revenue)?,
        h("4-1", "Pendapatan partisipasi anggota", Revenue)?.with_parent("4")?,
    ];
    for ((unit, _), name) in UNITS.iter().zip(MEMBER_REVENUE) {
        v.push(p(&member_revenue(unit), name, Revenue)?.with_parent("4-1")?);
    }
    v.push(h("4-2", "Pendapatan dari non-anggota", Revenue)?.with_parent("4")?);
    for ((unit, _), name) in UNITS.iter().zip(NON_MEMBER_REVENUE) {
        v.push(p(&non_member_revenue(unit), name, Revenue)?.with_parent("4-2")?);
    }
    v.extend([
        h("4-3", "Pendapatan lain", Revenue)?.with_parent("4")?,
        p(PENDAPATAN_DENDA, "Pendapatan denda", Revenue)?.with_parent("4-3")?,
        p(
            PENDAPATAN_ADMINISTRASI,
            "Pendapatan administrasi dan provisi",
            Revenue,
        )?
        .with_parent("4-3")?,
        p(
            PENDAPATAN_BUNGA_BANK,
            "Pendapatan jasa giro dan bunga bank",
            Revenue,
        )?
        .with_parent("4-3")?,
        p(PENDAPATAN_LAIN, "Pendapatan lain-lain", Revenue)?.with_parent("4-3")?,
        h("5", "Beban pokok pendapatan (HPP)", Expense)?.with_kind(AccountKind::CostOfSales),
        h("5-1", "Beban pokok per unit usaha", Expense)?
            .with_parent("5")?
            .with_kind(AccountKind::CostOfSales),
    ]);
    for ((unit, _), name) in UNITS.iter().zip(COST_OF_SALES) {
        v.push(
            p(&cost_of_sales(unit), name, Expense)?
                .with_parent("5-1")?
                .with_kind(AccountKind::CostOfSales),
        );
    }
    let coop = AccountKind::CooperativeExpense;
    v.extend([
        h("6", "Beban usaha", Expense)?,
        h("6-1", "Beban operasional", Expense)?.with_parent("6")?,
        p(BEBAN_GAJI, "Beban gaji dan tunjangan", Expense)?.with_parent("6-1")?,
        p(BEBAN_UTILITAS, "Beban listrik, air dan telepon", Expense)?.with_parent("6-1")?,
        p(BEBAN_PENYUSUTAN, "Beban penyusutan", Expense)?.with_parent("6-1")?,
        p(BEBAN_PPAP, "Beban penyisihan kerugian pinjaman", Expense)?.with_parent("6-1")?,
        p(BEBAN_BUNGA_BANK, "Beban bunga pinjaman bank", Expense)?.with_parent("6-1")?,
        p(BEBAN_ADMINISTRASI, "Beban administrasi dan umum", Expense)?.with_parent("6-1")?,
        p(BEBAN_MDR_QRIS, "Beban MDR QRIS", Expense)?.with_parent("6-1")?,
        p(BEBAN_LAIN, "Beban lain-lain", Expense)?.with_parent("6-1")?,
        p(BEBAN_JASA_SIMPANAN, "Beban jasa simpanan anggota", Expense)?.with_parent("6-1")?,
        h("7", "Beban perkoperasian", Expense)?.with_kind(coop),
        h("7-1", "Beban perkoperasian", Expense)?
            .with_parent("7")?
            .with_kind(coop),
        p(BEBAN_RAT, "Beban rapat anggota tahunan (RAT)", Expense)?
            .with_parent("7-1")?
            .with_kind(coop),
        p(BEBAN_PENDIDIKAN, "Beban pendidikan anggota", Expense)?
            .with_parent("7-1")?
            .with_kind(coop),
        p(BEBAN_PENGAWASAN, "Beban pengawasan", Expense)?
            .with_parent("7-1")?
            .with_kind(coop),
        p(BEBAN_RAPAT_PENGURUS, "Beban rapat pengurus", Expense)?
            .with_parent("7-1")?
            .with_kind(coop),
        h("8", "Pajak penghasilan", Expense)?.with_kind(AccountKind::IncomeTax),
        h("8-1", "Pajak penghasilan", Expense)?
            .with_parent("8")?
            .with_kind(AccountKind::IncomeTax),
        p(BEBAN_PAJAK, "Beban pajak penghasilan", Expense)?
            .with_parent("8-1")?
            .with_kind(AccountKind::IncomeTax),
    ]);
    ChartOfAccounts::new(v)
}

impl ChartOfAccounts {
    /// The standard chart of a Koperasi Desa/Kelurahan Merah Putih: every account listed in
    /// the crate docs, with the stable codes of [`crate::kkmp`].
    ///
    /// # Errors
    /// None in practice (the chart is a constant; a test pins that it validates). The
    /// signature is fallible because the constructors it uses are.
    ///
    /// ```
    /// use koperasi_ledger::{kkmp, AccountClass, ChartOfAccounts};
    ///
    /// let chart = ChartOfAccounts::standard_kkmp()?;
    /// assert_eq!(chart.get(kkmp::KAS).map(|a| a.name.as_str()), Some("Kas"));
    /// assert!(chart.get(kkmp::PPAP).is_some_and(|a| a.contra));
    /// assert_eq!(chart.get("4-2-02").map(|a| a.class), Some(AccountClass::Revenue));
    /// # Ok::<(), koperasi_ledger::Error>(())
    /// ```
    #[doc(alias = "bagan akun standar")]
    pub fn standard_kkmp() -> Result<ChartOfAccounts> {
        standard()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_chart_is_valid_and_complete() {
        let c = ChartOfAccounts::standard_kkmp().unwrap();
        for code in [
            KAS,
            BANK,
            PIUTANG_PINJAMAN,
            PPAP,
            PIUTANG_QRIS,
            PERSEDIAAN,
            SIMPANAN_SUKARELA,
            SIMPANAN_BERJANGKA,
            SIMPANAN_POKOK,
            SIMPANAN_WAJIB,
            PINJAMAN_HIMBARA,
            UTANG_BUNGA_HIMBARA,
            UTANG_IMBAL_JASA_DESA,
            UTANG_DESA,
            DANA_PENDIDIKAN,
            DANA_SOSIAL,
            CADANGAN,
            SHU_TAHUN_BERJALAN,
            BEBAN_PAJAK,
            BEBAN_RAT,
        ] {
            let a = c.get(code).unwrap();
            assert!(a.postable && a.open, "{code}");
        }
        for (unit, _) in UNITS {
            assert!(c.get(&member_revenue(unit)).unwrap().postable);
            assert!(c.get(&non_member_revenue(unit)).unwrap().postable);
            assert_eq!(
                c.get(&cost_of_sales(unit)).unwrap().kind,
                AccountKind::CostOfSales
            );
        }
        assert!(c.get(PPAP).unwrap().contra);
        assert!(c.get(AKUMULASI_PENYUSUTAN).unwrap().contra);
        assert_eq!(
            c.get(KAS).unwrap().limit,
            Some(BalanceLimit::CreditsMustNotExceedDebits)
        );
        assert_eq!(
            c.get(BEBAN_RAT).unwrap().kind,
            AccountKind::CooperativeExpense
        );
    }
}
