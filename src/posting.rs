//! The posting map: accounting roles → account codes.
//!
//! Domain crates compute amounts; they never name an account. The book turns each computed
//! amount into a journal line on the account its [`PostingRole`] maps to. The default map is
//! the standard KKMP chart ([`koperasi_ledger::kkmp`]); an embedder with its own chart
//! overrides single roles with [`PostingMap::set`] — the book checks every mapped code against
//! its chart when it is opened.

use std::collections::BTreeMap;

use koperasi_ledger::{AccountClass, BusinessUnit, ChartOfAccounts, kkmp};
use koperasi_savings_loans::SavingsKind;

use crate::error::{Error, Result};

/// An accounting role: what an amount *is*, independent of the chart of accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum PostingRole {
    /// Kas (cash on hand).
    #[doc(alias = "kas")]
    Cash,
    /// Bank account of the cooperative.
    Bank,
    /// Piutang pinjaman anggota (loan principal outstanding): a control account.
    #[doc(alias = "piutang pinjaman")]
    LoanReceivable,
    /// Cadangan kerugian pinjaman / PPAP (contra asset).
    #[doc(alias = "PPAP")]
    LoanLossReserve,
    /// Piutang jasa pinjaman: accrued loan interest and charged penalties.
    InterestReceivable,
    /// Persediaan (inventory at cost): a control account.
    #[doc(alias = "persediaan")]
    Inventory,
    /// Piutang QRIS from the payment provider (PJP): a control account.
    QrisReceivable,
    /// A member savings kind (pokok, wajib, sukarela, berjangka): a control account each.
    #[doc(alias = "simpanan")]
    MemberSavings(SavingsKind),
    /// Utang pajak (tax withheld on savings interest).
    TaxPayable,
    /// Utang usaha (purchases on credit).
    TradePayable,
    /// Pinjaman bank Himbara (PMK 49/2025): a control account.
    HimbaraLoan,
    /// Hibah / donasi received.
    Grant,
    /// Modal penyertaan.
    EquityParticipation,
    /// Revenue from members (partisipasi anggota) of a business unit.
    MemberRevenue(BusinessUnit),
    /// Revenue from non-members of a business unit.
    NonMemberRevenue(BusinessUnit),
    /// HPP / cost of sales of a business unit.
    CostOfSales(BusinessUnit),
    /// Pendapatan administrasi/provisi (loan fees).
    FeeIncome,
    /// Pendapatan denda (late-payment penalties).
    PenaltyIncome,
    /// Pendapatan lain-lain (recoveries of written-off loans, early-withdrawal penalties).
    OtherIncome,
    /// Beban jasa simpanan (interest on member savings).
    SavingsInterestExpense,
    /// Beban penyisihan kerugian pinjaman (PPAP expense).
    LoanLossExpense,
    /// Beban bunga pinjaman bank.
    BankInterestExpense,
    /// Beban MDR QRIS.
    QrisFeeExpense,
    /// SHU tahun berjalan (receives the year's result at the close).
    ShuCurrentYear,
    /// SHU belum dibagi (undistributed result and losses carried forward).
    ShuUndistributed,
    /// Cadangan (reserve).
    Reserve,
    /// Dana pengurus.
    ManagementFund,
    /// Dana karyawan.
    EmployeeFund,
    /// Dana pendidikan.
    EducationFund,
    /// Dana sosial.
    SocialFund,
    /// Dana pembangunan daerah kerja.
    RegionalDevelopmentFund,
    /// Utang imbal jasa desa (the desa's share of the SHU, Permendes 10/2025).
    VillageSharePayable,
    /// Utang SHU anggota (members' SHU payable).
    MemberShuPayable,
    /// Pengembalian simpanan anggota keluar (refunds owed to leaving members).
    ExitRefundPayable,
    /// Akumulasi penyusutan aset tetap (contra asset): kept with the asset register.
    #[doc(alias = "akumulasi penyusutan")]
    AccumulatedDepreciation,
    /// Beban penyusutan.
    #[doc(alias = "beban penyusutan")]
    DepreciationExpense,
    /// Biaya dibayar dimuka (prepaid expenses, amortised at month-end).
    #[doc(alias = "biaya dibayar dimuka")]
    PrepaidExpense,
    /// Utang jasa simpanan: time-deposit interest accrued and not yet paid.
    #[doc(alias = "utang jasa simpanan")]
    AccruedSavingsInterest,
    /// Bunga pinjaman Himbara yang masih harus dibayar: interest on the Himbara loan incurred
    /// and not yet paid, accrued at month-end and kept with the book's register.
    #[doc(alias = "bunga pinjaman Himbara yang masih harus dibayar")]
    #[doc(alias = "utang bunga Himbara")]
    AccruedHimbaraInterest,
    /// Beban lain-lain (e.g. a loss on disposal of a fixed asset).
    OtherExpense,
    /// Beban gaji dan tunjangan (*biaya karyawan*): the book posts no line to it by itself
    /// (payroll is an [`Operation::Expense`](crate::Operation::Expense) on this account); the
    /// health assessment reads the staff cost from it.
    #[doc(alias = "beban gaji")]
    #[doc(alias = "biaya karyawan")]
    PersonnelExpense,
}

/// The savings kinds in a fixed order.
pub(crate) const SAVINGS_KINDS: [SavingsKind; 4] = [
    SavingsKind::Principal,
    SavingsKind::Mandatory,
    SavingsKind::Voluntary,
    SavingsKind::TimeDeposit,
];

impl PostingRole {
    /// The code of the role in the standard KKMP chart.
    pub fn standard_code(self) -> String {
        let unit = |u: BusinessUnit| format!("{:02}", u.number());
        match self {
            PostingRole::Cash => kkmp::KAS.to_owned(),
            PostingRole::Bank => kkmp::BANK.to_owned(),
            PostingRole::LoanReceivable => kkmp::PIUTANG_PINJAMAN.to_owned(),
            PostingRole::LoanLossReserve => kkmp::PPAP.to_owned(),
            PostingRole::InterestReceivable => kkmp::PIUTANG_JASA.to_owned(),
            PostingRole::Inventory => kkmp::PERSEDIAAN.to_owned(),
            PostingRole::QrisReceivable => kkmp::PIUTANG_QRIS.to_owned(),
            PostingRole::MemberSavings(k) => match k {
                SavingsKind::Principal => kkmp::SIMPANAN_POKOK,
                SavingsKind::Mandatory => kkmp::SIMPANAN_WAJIB,
                SavingsKind::TimeDeposit => kkmp::SIMPANAN_BERJANGKA,
                SavingsKind::Voluntary => kkmp::SIMPANAN_SUKARELA,
            }
            .to_owned(),
            PostingRole::TaxPayable => kkmp::UTANG_PAJAK.to_owned(),
            PostingRole::TradePayable => kkmp::UTANG_USAHA.to_owned(),
            PostingRole::HimbaraLoan => kkmp::PINJAMAN_HIMBARA.to_owned(),
            PostingRole::Grant => kkmp::HIBAH.to_owned(),
            PostingRole::EquityParticipation => kkmp::MODAL_PENYERTAAN.to_owned(),
            PostingRole::MemberRevenue(u) => kkmp::member_revenue(&unit(u)),
            PostingRole::NonMemberRevenue(u) => kkmp::non_member_revenue(&unit(u)),
            PostingRole::CostOfSales(u) => kkmp::cost_of_sales(&unit(u)),
            PostingRole::FeeIncome => kkmp::PENDAPATAN_ADMINISTRASI.to_owned(),
            PostingRole::PenaltyIncome => kkmp::PENDAPATAN_DENDA.to_owned(),
            PostingRole::OtherIncome => kkmp::PENDAPATAN_LAIN.to_owned(),
            PostingRole::SavingsInterestExpense => kkmp::BEBAN_JASA_SIMPANAN.to_owned(),
            PostingRole::LoanLossExpense => kkmp::BEBAN_PPAP.to_owned(),
            PostingRole::BankInterestExpense => kkmp::BEBAN_BUNGA_BANK.to_owned(),
            PostingRole::QrisFeeExpense => kkmp::BEBAN_MDR_QRIS.to_owned(),
            PostingRole::ShuCurrentYear => kkmp::SHU_TAHUN_BERJALAN.to_owned(),
            PostingRole::ShuUndistributed => kkmp::SHU_BELUM_DIBAGI.to_owned(),
            PostingRole::Reserve => kkmp::CADANGAN.to_owned(),
            PostingRole::ManagementFund => kkmp::DANA_PENGURUS.to_owned(),
            PostingRole::EmployeeFund => kkmp::DANA_KARYAWAN.to_owned(),
            PostingRole::EducationFund => kkmp::DANA_PENDIDIKAN.to_owned(),
            PostingRole::SocialFund => kkmp::DANA_SOSIAL.to_owned(),
            PostingRole::RegionalDevelopmentFund => kkmp::DANA_PEMBANGUNAN_DAERAH.to_owned(),
            PostingRole::VillageSharePayable => kkmp::UTANG_IMBAL_JASA_DESA.to_owned(),
            PostingRole::MemberShuPayable => kkmp::UTANG_SHU_ANGGOTA.to_owned(),
            PostingRole::ExitRefundPayable => kkmp::UTANG_ANGGOTA_KELUAR.to_owned(),
            PostingRole::AccumulatedDepreciation => kkmp::AKUMULASI_PENYUSUTAN.to_owned(),
            PostingRole::DepreciationExpense => kkmp::BEBAN_PENYUSUTAN.to_owned(),
            PostingRole::PrepaidExpense => kkmp::BIAYA_DIBAYAR_DIMUKA.to_owned(),
            PostingRole::AccruedSavingsInterest => kkmp::UTANG_JASA_SIMPANAN.to_owned(),
            PostingRole::AccruedHimbaraInterest => kkmp::UTANG_BUNGA_HIMBARA.to_owned(),
            PostingRole::OtherExpense => kkmp::BEBAN_LAIN.to_owned(),
            PostingRole::PersonnelExpense => kkmp::BEBAN_GAJI.to_owned(),
        }
    }

    /// A stable `snake_case` key of the role, e.g. `cash`, `member_savings.principal`,
    /// `member_revenue.02` (the unit's number), as used in health-input traces.
    pub fn key(self) -> String {
        use PostingRole as R;
        let unit = |u: BusinessUnit| format!("{:02}", u.number());
        let kind = |k: SavingsKind| match k {
            SavingsKind::Principal => "principal",
            SavingsKind::Mandatory => "mandatory",
            SavingsKind::Voluntary => "voluntary",
            SavingsKind::TimeDeposit => "time_deposit",
        };
        let s = match self {
            R::MemberSavings(k) => return format!("member_savings.{}", kind(k)),
            R::MemberRevenue(u) => return format!("member_revenue.{}", unit(u)),
            R::NonMemberRevenue(u) => return format!("non_member_revenue.{}", unit(u)),
            R::CostOfSales(u) => return format!("cost_of_sales.{}", unit(u)),
            R::Cash => "cash",
            R::Bank => "bank",
            R::LoanReceivable => "loan_receivable",
            R::LoanLossReserve => "loan_loss_reserve",
            R::InterestReceivable => "interest_receivable",
            R::Inventory => "inventory",
            R::QrisReceivable => "qris_receivable",
            R::TaxPayable => "tax_payable",
            R::TradePayable => "trade_payable",
            R::HimbaraLoan => "himbara_loan",
            R::Grant => "grant",
            R::EquityParticipation => "equity_participation",
            R::FeeIncome => "fee_income",
            R::PenaltyIncome => "penalty_income",
            R::OtherIncome => "other_income",
            R::SavingsInterestExpense => "savings_interest_expense",
            R::LoanLossExpense => "loan_loss_expense",
            R::BankInterestExpense => "bank_interest_expense",
            R::QrisFeeExpense => "qris_fee_expense",
            R::ShuCurrentYear => "shu_current_year",
            R::ShuUndistributed => "shu_undistributed",
            R::Reserve => "reserve",
            R::ManagementFund => "management_fund",
            R::EmployeeFund => "employee_fund",
            R::EducationFund => "education_fund",
            R::SocialFund => "social_fund",
            R::RegionalDevelopmentFund => "regional_development_fund",
            R::VillageSharePayable => "village_share_payable",
            R::MemberShuPayable => "member_shu_payable",
            R::ExitRefundPayable => "exit_refund_payable",
            R::AccumulatedDepreciation => "accumulated_depreciation",
            R::DepreciationExpense => "depreciation_expense",
            R::PrepaidExpense => "prepaid_expense",
            R::AccruedSavingsInterest => "accrued_savings_interest",
            R::AccruedHimbaraInterest => "accrued_himbara_interest",
            R::OtherExpense => "other_expense",
            R::PersonnelExpense => "personnel_expense",
        };
        s.to_owned()
    }

    /// The class of account the role must map to.
    pub fn expected_class(self) -> AccountClass {
        use PostingRole as R;
        match self {
            R::Cash
            | R::Bank
            | R::LoanReceivable
            | R::LoanLossReserve
            | R::InterestReceivable
            | R::Inventory
            | R::QrisReceivable
            | R::AccumulatedDepreciation
            | R::PrepaidExpense => AccountClass::Asset,
            R::MemberSavings(SavingsKind::Principal | SavingsKind::Mandatory)
            | R::Grant
            | R::EquityParticipation
            | R::ShuCurrentYear
            | R::ShuUndistributed
            | R::Reserve => AccountClass::Equity,
            R::MemberRevenue(_)
            | R::NonMemberRevenue(_)
            | R::FeeIncome
            | R::PenaltyIncome
            | R::OtherIncome => AccountClass::Revenue,
            R::CostOfSales(_)
            | R::SavingsInterestExpense
            | R::LoanLossExpense
            | R::BankInterestExpense
            | R::QrisFeeExpense
            | R::DepreciationExpense
            | R::OtherExpense
            | R::PersonnelExpense => AccountClass::Expense,
            _ => AccountClass::Liability,
        }
    }

    /// Every role (units expanded over the seven standard units).
    pub fn all() -> Vec<PostingRole> {
        use PostingRole as R;
        let mut v = vec![
            R::Cash,
            R::Bank,
            R::LoanReceivable,
            R::LoanLossReserve,
            R::InterestReceivable,
            R::Inventory,
            R::QrisReceivable,
            R::TaxPayable,
            R::TradePayable,
            R::HimbaraLoan,
            R::Grant,
            R::EquityParticipation,
            R::FeeIncome,
            R::PenaltyIncome,
            R::OtherIncome,
            R::SavingsInterestExpense,
            R::LoanLossExpense,
            R::BankInterestExpense,
            R::QrisFeeExpense,
            R::ShuCurrentYear,
            R::ShuUndistributed,
            R::Reserve,
            R::ManagementFund,
            R::EmployeeFund,
            R::EducationFund,
            R::SocialFund,
            R::RegionalDevelopmentFund,
            R::VillageSharePayable,
            R::MemberShuPayable,
            R::ExitRefundPayable,
            R::AccumulatedDepreciation,
            R::DepreciationExpense,
            R::PrepaidExpense,
            R::AccruedSavingsInterest,
            R::AccruedHimbaraInterest,
            R::OtherExpense,
            R::PersonnelExpense,
        ];
        v.extend(SAVINGS_KINDS.map(R::MemberSavings));
        for u in BusinessUnit::STANDARD {
            v.extend([
                R::MemberRevenue(u),
                R::NonMemberRevenue(u),
                R::CostOfSales(u),
            ]);
        }
        v
    }
}

/// Roles → account codes: the standard KKMP chart, with overrides.
///
/// ```
/// use koperasi::posting::{PostingMap, PostingRole};
///
/// let mut map = PostingMap::standard();
/// assert_eq!(map.code(PostingRole::LoanReceivable), "1-1-03");
/// // This cooperative keeps its cash in a sub-account of its own chart.
/// map.set(PostingRole::Cash, "1-1-01");
/// assert_eq!(map.code(PostingRole::Cash), "1-1-01");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PostingMap {
    overrides: BTreeMap<PostingRole, String>,
}

impl PostingMap {
    /// The standard KKMP map (no overrides).
    pub fn standard() -> PostingMap {
        PostingMap::default()
    }

    /// Maps `role` to `code` (checked against the chart when the book opens).
    pub fn set(&mut self, role: PostingRole, code: impl Into<String>) -> &mut Self {
        self.overrides.insert(role, code.into());
        self
    }

    /// The overrides.
    pub fn overrides(&self) -> impl Iterator<Item = (PostingRole, &str)> {
        self.overrides.iter().map(|(r, c)| (*r, c.as_str()))
    }

    /// The code `role` maps to.
    pub fn code(&self, role: PostingRole) -> String {
        self.overrides
            .get(&role)
            .cloned()
            .unwrap_or_else(|| role.standard_code())
    }

    /// Checks that every role maps to an open, postable account of the expected class.
    ///
    /// # Errors
    /// [`Error::PostingMap`] naming the first bad role and code.
    pub fn validate(&self, chart: &ChartOfAccounts) -> Result<()> {
        for role in PostingRole::all() {
            let code = self.code(role);
            let ok = chart
                .get(&code)
                .is_some_and(|a| a.postable && a.open && a.class == role.expected_class());
            if !ok {
                return Err(Error::PostingMap {
                    role,
                    code,
                    reason: "not an open postable account of the expected class",
                });
            }
        }
        Ok(())
    }
}
