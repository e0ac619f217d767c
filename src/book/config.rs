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
    /// Loan disbursements above this principal need a second person (a request completed
    /// with [`Operation::Approve`](crate::Operation::Approve)); `None`: none do. Default
    /// Rp25.000.000 (an SOP figure: no regulation fixes it).
    #[cfg_attr(feature = "serde", serde(default = "default_disbursement_limit"))]
    pub disbursement_checker_limit: Option<Rupiah>,
    /// A two-person request expires when it has not been decided within this many days.
    /// Default 30.
    #[cfg_attr(feature = "serde", serde(default = "default_expiry_days"))]
    pub request_expiry_days: u32,
    /// Where members must live. Default [`DomicileScope::Village`].
    #[cfg_attr(feature = "serde", serde(default))]
    pub domicile_scope: DomicileScope,
}

/// Where a cooperative's members must live (anggota luar biasa are exempt when the rules
/// say so).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum DomicileScope {
    /// In the cooperative's own desa/kelurahan (KDMP/KKMP).
    #[default]
    Village,
    /// In any desa/kelurahan of the cooperative's kecamatan (a KKMP whose AD allows it).
    District,
}

#[cfg_attr(not(feature = "serde"), allow(dead_code))]
#[allow(clippy::unnecessary_wraps)] // serde's `default` needs the field's type
fn default_disbursement_limit() -> Option<Rupiah> {
    Some(Rupiah::from_rupiah(25_000_000))
}

#[cfg_attr(not(feature = "serde"), allow(dead_code))]
fn default_expiry_days() -> u32 {
    30
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
            disbursement_checker_limit: default_disbursement_limit(),
            request_expiry_days: default_expiry_days(),
            domicile_scope: DomicileScope::Village,
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

#[cfg(test)]
mod tests {
    use koperasi_core::Rupiah;

    use super::DomicileScope;
    use crate::book::testkit::book;

    #[test]
    fn kkmp_defaults_of_the_controls() {
        let b = book(0);
        let c = b.config();
        assert_eq!(
            c.disbursement_checker_limit,
            Some(Rupiah::from_rupiah(25_000_000))
        );
        assert_eq!(c.request_expiry_days, 30);
        assert_eq!(c.domicile_scope, DomicileScope::Village);
    }
}
