//! The book's configuration.

use koperasi_core::chrono::NaiveDate;
use koperasi_core::{ActorId, CooperativeId, Decimal, Rate, Rupiah};
use koperasi_membership::{MakerCheckerRules, Role, VillageCode};
use koperasi_savings_loans::{
    BalanceMethod, Charge, EarlyWithdrawal, Fee, InterestPolicy, LoanOptions, ReserveRates,
    SavingsProduct,
};
use koperasi_shu::ShuPolicy;

use crate::error::Result;
use crate::posting::PostingMap;

/// The configuration of a book: who the cooperative is, its products and policies (as decided
/// by the Rapat Anggota), and how roles map to accounts. Replaying an event log needs the same
/// configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct BookConfig {
    /// The cooperative's id (also the high bits of every entry id).
    pub cooperative: CooperativeId,
    /// Its name, e.g. "Koperasi Kelurahan Merah Putih Mangunharjo".
    pub name: String,
    /// Its desa/kelurahan (members must live there), e.g. `35.74.01.1001`.
    pub village: VillageCode,
    /// The opening date of the books.
    pub opening: NaiveDate,
    /// First month of the fiscal year (1 = January).
    pub fiscal_start_month: u32,
    /// Simpanan pokok (once, on entry).
    pub pokok: Rupiah,
    /// Simpanan wajib per month.
    pub wajib: Rupiah,
    /// Simpanan sukarela: minimum balance.
    pub sukarela_minimum: Rupiah,
    /// Simpanan sukarela: interest, percent per year (daily balance, posted monthly); `None`
    /// for no interest.
    pub sukarela_interest_percent: Option<Decimal>,
    /// Simpanan berjangka: early-withdrawal rule.
    pub time_deposit_early: EarlyWithdrawal,
    /// Loan product options (allocation order, overpayment, penalty).
    pub loan_options: LoanOptions,
    /// Loan fees charged at disbursement.
    pub loan_fees: Vec<Fee>,
    /// PPAP rates per collectibility class.
    pub reserve_rates: ReserveRates,
    /// The SHU policy (AD/ART).
    pub shu_policy: ShuPolicy,
    /// Maker-checker rules.
    pub maker_checker: MakerCheckerRules,
    /// Roles held from the start (the founding pengurus and staff).
    pub founders: Vec<(ActorId, Role)>,
    /// Role → account overrides of the standard KKMP chart.
    pub posting_map: PostingMap,
}

impl BookConfig {
    /// A KKMP with the usual defaults: simpanan pokok Rp100.000, wajib Rp10.000 a month,
    /// sukarela at 3% a year, loan provisi 1% deducted, denda Rp1.000 a day after 3 days, PPAP
    /// 0,5/10/50/100%, the KDMP SHU policy, fiscal year = calendar year.
    pub fn kkmp(
        cooperative: CooperativeId,
        name: impl Into<String>,
        village: VillageCode,
        opening: NaiveDate,
        founders: Vec<(ActorId, Role)>,
    ) -> BookConfig {
        use koperasi_savings_loans::{FeeCollection, FeeKind, PenaltyRule};
        BookConfig {
            cooperative,
            name: name.into(),
            village,
            opening,
            fiscal_start_month: 1,
            pokok: Rupiah::from_rupiah(100_000),
            wajib: Rupiah::from_rupiah(10_000),
            sukarela_minimum: Rupiah::ZERO,
            sukarela_interest_percent: Some(Decimal::from(3)),
            time_deposit_early: EarlyWithdrawal {
                forfeit_interest: true,
                penalty: Charge::Fixed(Rupiah::ZERO),
            },
            loan_options: LoanOptions::default().with_penalty(PenaltyRule::PerDay {
                charge: Charge::Fixed(Rupiah::from_rupiah(1_000)),
                grace_days: 3,
            }),
            loan_fees: vec![Fee {
                kind: FeeKind::Provision,
                charge: Charge::Percent(Decimal::ONE),
                collection: FeeCollection::Deducted,
            }],
            reserve_rates: ReserveRates::default(),
            shu_policy: ShuPolicy::kdmp(),
            maker_checker: MakerCheckerRules::default(),
            founders,
            posting_map: PostingMap::standard(),
        }
    }
}

pub(super) fn voluntary_product(config: &BookConfig) -> Result<SavingsProduct> {
    let interest = match config.sukarela_interest_percent {
        Some(p) => Some(InterestPolicy::new(
            Rate::per_year(p)?,
            BalanceMethod::Daily,
        )),
        None => None,
    };
    Ok(SavingsProduct::voluntary(config.sukarela_minimum, interest))
}
