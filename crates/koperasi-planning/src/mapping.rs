//! Business-potential mapping (pemetaan potensi usaha): a desa/kelurahan profile and candidate
//! units → a scored, explained ranking and a demand estimate per unit.
//!
//! Each unit's score (0–100) is Σ weight × indicator / 100 over the unit's criteria. The
//! indicators (each 0–100, 2 decimals half-up) are computed from the profile:
//!
//! | indicator | formula |
//! |---|---|
//! | `market_size` | demand estimate ÷ the unit's reference demand × 100, capped at 100 |
//! | `competition_gap` | 100 × (1 − outlets of that kind per 1.000 households ÷ saturation), at least 20 × km to the nearest one, in 0–100 |
//! | `access_need` | 10 × km to the nearest market, capped at 100 |
//! | `purchasing_power` | spending per household ÷ reference spending × 100, capped at 100 |
//! | `member_base` | members ÷ reference members × 100, capped at 100 |
//! | `supply` | commodity tonnes per month (perishable only, for cold storage) ÷ reference tonnes × 100, capped at 100 |
//!
//! Weights, references and demand assumptions are data ([`Weights`], [`Assumptions`]); the
//! documented default profile is [`Weights::default_profile`] with [`Assumptions::default`].
//! The defaults are this project's judgement for a first screening (no official weighting
//! exists; system.md §4.4), to be replaced by the musyawarah's own.

use koperasi_core::{Decimal, RoundingPolicy, Rupiah};

use crate::plan::UnitKind;
use crate::{Error, Result};

/// Kinds of existing outlets in the profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
#[non_exhaustive]
pub enum OutletKind {
    /// Warung, toko, minimarket selling sembako.
    Sembako,
    /// Apotek or toko obat.
    Apotek,
    /// Puskesmas, klinik, praktik dokter or bidan.
    Klinik,
    /// Bank branch or agent (`BRILink` …), other savings-and-loan cooperatives.
    BankAgent,
    /// Cold storage or warehouse.
    ColdStorage,
    /// Transport and logistics service.
    Logistik,
}

/// Existing outlets of one kind.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct Outlets {
    /// Kind.
    pub kind: OutletKind,
    /// How many serve the desa/kelurahan.
    pub count: u32,
    /// Distance to the nearest, km.
    #[cfg_attr(feature = "serde", serde(deserialize_with = "crate::num::de::decimal"))]
    pub nearest_km: Decimal,
}

/// A commodity produced in the desa/kelurahan.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct Commodity {
    /// Name (`"beras"`, `"ikan"` …).
    pub name: String,
    /// Volume, tonnes per month.
    #[cfg_attr(feature = "serde", serde(deserialize_with = "crate::num::de::decimal"))]
    pub tonnes_per_month: Decimal,
    /// Needs cold storage.
    #[cfg_attr(feature = "serde", serde(default))]
    pub perishable: bool,
}

/// The profile of a desa or kelurahan (profil potensi).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
#[doc(alias = "profil desa")]
#[doc(alias = "potensi desa")]
pub struct Profile {
    /// Name.
    pub name: String,
    /// Population (jiwa).
    pub population: u32,
    /// Households (KK).
    pub households: u32,
    /// Income proxy: spending per household per month.
    #[cfg_attr(feature = "serde", serde(deserialize_with = "crate::num::de::rupiah"))]
    pub monthly_spending_per_household: Rupiah,
    /// Existing outlets.
    #[cfg_attr(feature = "serde", serde(default))]
    pub outlets: Vec<Outlets>,
    /// Commodities produced.
    #[cfg_attr(feature = "serde", serde(default))]
    pub commodities: Vec<Commodity>,
    /// Distance to the nearest market (pasar), km.
    #[cfg_attr(feature = "serde", serde(deserialize_with = "crate::num::de::decimal"))]
    pub market_distance_km: Decimal,
    /// Members of the cooperative.
    #[cfg_attr(feature = "serde", serde(default))]
    pub members: u32,
    /// Their savings (simpanan).
    #[cfg_attr(
        feature = "serde",
        serde(default, deserialize_with = "crate::num::de::rupiah")
    )]
    pub member_savings: Rupiah,
    /// Candidate units (default: the seven KDMP units).
    #[cfg_attr(feature = "serde", serde(default))]
    pub candidates: Vec<UnitKind>,
}

/// One weighted criterion of a unit.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Criterion {
    /// Indicator name (`market_size`, `competition_gap`, `access_need`, `purchasing_power`,
    /// `member_base`, `supply`).
    pub indicator: String,
    /// Weight (the weights of a unit add up to 100).
    #[cfg_attr(feature = "serde", serde(deserialize_with = "crate::num::de::decimal"))]
    pub weight: Decimal,
}

/// Weights per unit kind: the scoring profile.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Weights {
    /// Profile name.
    pub name: String,
    /// `(unit, criteria)`.
    pub units: Vec<(UnitKind, Vec<Criterion>)>,
}

fn c(indicator: &str, weight: i64) -> Criterion {
    Criterion {
        indicator: indicator.to_owned(),
        weight: Decimal::from(weight),
    }
}

impl Weights {
    /// The documented default profile (`kkmp-default-2025`):
    ///
    /// | unit | criteria (weight) |
    /// |---|---|
    /// | gerai sembako | market_size 35, competition_gap 25, access_need 20, purchasing_power 10, member_base 10 |
    /// | apotek | market_size 35, competition_gap 35, access_need 15, purchasing_power 15 |
    /// | klinik | market_size 30, competition_gap 40, access_need 20, purchasing_power 10 |
    /// | simpan pinjam | member_base 50, competition_gap 30, purchasing_power 20 |
    /// | cold storage | supply 60, market_size 20, access_need 20 |
    /// | logistik | supply 40, access_need 40, market_size 20 |
    /// | kantor koperasi | member_base 40, market_size 30, competition_gap 30 |
    /// | other | market_size 50, member_base 50 |
    pub fn default_profile() -> Weights {
        Weights {
            name: "kkmp-default-2025".to_owned(),
            units: vec![
                (
                    UnitKind::Sembako,
                    vec![
                        c("market_size", 35),
                        c("competition_gap", 25),
                        c("access_need", 20),
                        c("purchasing_power", 10),
                        c("member_base", 10),
                    ],
                ),
                (
                    UnitKind::Apotek,
                    vec![
                        c("market_size", 35),
                        c("competition_gap", 35),
                        c("access_need", 15),
                        c("purchasing_power", 15),
                    ],
                ),
                (
                    UnitKind::Klinik,
                    vec![
                        c("market_size", 30),
                        c("competition_gap", 40),
                        c("access_need", 20),
                        c("purchasing_power", 10),
                    ],
                ),
                (
                    UnitKind::SimpanPinjam,
                    vec![
                        c("member_base", 50),
                        c("competition_gap", 30),
                        c("purchasing_power", 20),
                    ],
                ),
                (
                    UnitKind::ColdStorage,
                    vec![c("supply", 60), c("market_size", 20), c("access_need", 20)],
                ),
                (
                    UnitKind::Logistik,
                    vec![c("supply", 40), c("access_need", 40), c("market_size", 20)],
                ),
                (
                    UnitKind::KantorKoperasi,
                    vec![
                        c("member_base", 40),
                        c("market_size", 30),
                        c("competition_gap", 30),
                    ],
                ),
                (
                    UnitKind::Other,
                    vec![c("market_size", 50), c("member_base", 50)],
                ),
            ],
        }
    }
}

/// Demand assumptions and reference scales (data; defaults documented per field).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Assumptions {
    /// Share of household spending on food and daily needs, percent (default 50).
    pub food_share_percent: Decimal,
    /// Share of that the gerai can capture, percent (default 20).
    pub sembako_capture_percent: Decimal,
    /// Medicine spending per person per month (default Rp15.000), and capture % (default 40).
    pub medicine_per_capita: Rupiah,
    /// Capture of medicine spending, percent.
    pub apotek_capture_percent: Decimal,
    /// Clinic visits per 1.000 people per month (default 150), fee per visit (default
    /// Rp50.000), capture % (default 30).
    pub visits_per_1000: Decimal,
    /// Fee per clinic visit.
    pub visit_fee: Rupiah,
    /// Capture of clinic visits, percent.
    pub klinik_capture_percent: Decimal,
    /// Members who borrow, percent (default 30); average loan (default Rp5.000.000); rate
    /// per month (default 1,5%).
    pub borrowing_members_percent: Decimal,
    /// Average loan.
    pub average_loan: Rupiah,
    /// Loan rate per month, percent.
    pub loan_rate_percent_per_month: Decimal,
    /// Perishables stored, percent (default 50); fee per tonne per month (default Rp300.000).
    pub cold_storage_capture_percent: Decimal,
    /// Fee per tonne stored per month.
    pub cold_storage_fee_per_tonne: Rupiah,
    /// Tonnes carried, percent (default 30); fee per tonne-km (default Rp2.500).
    pub logistik_capture_percent: Decimal,
    /// Fee per tonne-km.
    pub logistik_fee_per_tonne_km: Rupiah,
    /// Agent transactions per household per month (default 2), fee (default Rp3.000).
    pub transactions_per_household: Decimal,
    /// Fee per agent transaction.
    pub transaction_fee: Rupiah,
    /// Saturation: outlets per 1.000 households at which the gap is 0 (sembako 5, apotek 1,
    /// klinik 1, bank agents 2, cold storage 0,5, logistik 1).
    pub saturation_per_1000: Vec<(OutletKind, Decimal)>,
    /// Reference monthly demand per unit at which `market_size` is 100 (sembako Rp450 juta,
    /// apotek Rp120 juta, klinik Rp90 juta, simpan pinjam Rp30 juta, cold storage Rp40 juta,
    /// logistik Rp50 juta, kantor Rp20 juta, other Rp50 juta).
    pub reference_demand: Vec<(UnitKind, Rupiah)>,
    /// Reference spending per household (default Rp4.000.000).
    pub reference_spending: Rupiah,
    /// Reference members (default 500).
    pub reference_members: u32,
    /// Reference commodity volume, tonnes per month (default 200).
    pub reference_tonnes: Decimal,
}

impl Default for Assumptions {
    fn default() -> Self {
        let r = Rupiah::from_rupiah;
        let d = Decimal::from;
        Assumptions {
            food_share_percent: d(50),
            sembako_capture_percent: d(20),
            medicine_per_capita: r(15_000),
            apotek_capture_percent: d(40),
            visits_per_1000: d(150),
            visit_fee: r(50_000),
            klinik_capture_percent: d(30),
            borrowing_members_percent: d(30),
            average_loan: r(5_000_000),
            loan_rate_percent_per_month: Decimal::new(15, 1),
            cold_storage_capture_percent: d(50),
            cold_storage_fee_per_tonne: r(300_000),
            logistik_capture_percent: d(30),
            logistik_fee_per_tonne_km: r(2_500),
            transactions_per_household: d(2),
            transaction_fee: r(3_000),
            saturation_per_1000: vec![
                (OutletKind::Sembako, d(5)),
                (OutletKind::Apotek, d(1)),
                (OutletKind::Klinik, d(1)),
                (OutletKind::BankAgent, d(2)),
                (OutletKind::ColdStorage, Decimal::new(5, 1)),
                (OutletKind::Logistik, d(1)),
            ],
            reference_demand: vec![
                (UnitKind::Sembako, r(450_000_000)),
                (UnitKind::Apotek, r(120_000_000)),
                (UnitKind::Klinik, r(90_000_000)),
                (UnitKind::SimpanPinjam, r(30_000_000)),
                (UnitKind::ColdStorage, r(40_000_000)),
                (UnitKind::Logistik, r(50_000_000)),
                (UnitKind::KantorKoperasi, r(20_000_000)),
                (UnitKind::Other, r(50_000_000)),
            ],
            reference_spending: r(4_000_000),
            reference_members: 500,
            reference_tonnes: d(200),
        }
    }
}

/// One criterion's contribution to a score.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ScorePart {
    /// Indicator.
    pub indicator: String,
    /// The inputs it read, in words with their values.
    pub inputs: String,
    /// Indicator value, 0–100.
    pub value: Decimal,
    /// Weight.
    pub weight: Decimal,
    /// `value × weight / 100`.
    pub contribution: Decimal,
}

/// A unit's demand estimate.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Demand {
    /// Estimated revenue per month (half-up to the rupiah).
    pub monthly_revenue: Rupiah,
    /// How it was estimated.
    pub formula: String,
}

/// One unit in the ranking.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct UnitScore {
    /// Rank (1 = best).
    pub rank: u32,
    /// Unit.
    pub unit: UnitKind,
    /// Label.
    pub label: String,
    /// Score 0–100 (2 decimals).
    pub score: Decimal,
    /// Demand estimate.
    pub demand: Demand,
    /// The parts of the score.
    pub parts: Vec<ScorePart>,
}

/// The ranking of a profile.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Mapping {
    /// Profile name.
    pub name: String,
    /// Weights profile used.
    pub weights: String,
    /// Units, best first (ties in chart order).
    pub ranking: Vec<UnitScore>,
}

fn ov() -> Error {
    Error::Overflow { op: "mapping" }
}
fn mul(a: Decimal, b: Decimal) -> Result<Decimal> {
    a.checked_mul(b).ok_or_else(ov)
}
fn div(a: Decimal, b: Decimal) -> Result<Decimal> {
    if b.is_zero() {
        return Ok(Decimal::ZERO);
    }
    a.checked_div(b).ok_or_else(ov)
}
fn clamp100(d: Decimal) -> Decimal {
    crate::num::ratio_dp(d.max(Decimal::ZERO).min(Decimal::ONE_HUNDRED), 2)
}
fn pct(d: Decimal) -> Result<Decimal> {
    div(d, Decimal::ONE_HUNDRED)
}
fn id(d: Decimal) -> String {
    crate::report::decimal_id(d)
}
fn count(n: u32) -> String {
    crate::report::decimal_id(Decimal::from(n))
}

fn outlet_for(u: UnitKind) -> Option<OutletKind> {
    match u {
        UnitKind::Sembako => Some(OutletKind::Sembako),
        UnitKind::Apotek => Some(OutletKind::Apotek),
        UnitKind::Klinik => Some(OutletKind::Klinik),
        UnitKind::SimpanPinjam | UnitKind::KantorKoperasi => Some(OutletKind::BankAgent),
        UnitKind::ColdStorage => Some(OutletKind::ColdStorage),
        UnitKind::Logistik => Some(OutletKind::Logistik),
        UnitKind::Other => None,
    }
}

fn demand(p: &Profile, a: &Assumptions, u: UnitKind) -> Result<Demand> {
    let hh = Decimal::from(p.households);
    let pop = Decimal::from(p.population);
    let spend = p.monthly_spending_per_household.to_decimal();
    let tonnes = p.commodities.iter().try_fold(Decimal::ZERO, |s, c| {
        s.checked_add(c.tonnes_per_month).ok_or_else(ov)
    })?;
    let perishable = p
        .commodities
        .iter()
        .filter(|c| c.perishable)
        .try_fold(Decimal::ZERO, |s, c| {
            s.checked_add(c.tonnes_per_month).ok_or_else(ov)
        })?;
    let (value, formula) = match u {
        UnitKind::Sembako => (
            mul(
                mul(mul(hh, spend)?, pct(a.food_share_percent)?)?,
                pct(a.sembako_capture_percent)?,
            )?,
            format!(
                "{} KK × {} belanja/KK × {}% kebutuhan pokok × {}% pangsa",
                count(p.households),
                p.monthly_spending_per_household,
                id(a.food_share_percent),
                id(a.sembako_capture_percent)
            ),
        ),
        UnitKind::Apotek => (
            mul(
                mul(pop, a.medicine_per_capita.to_decimal())?,
                pct(a.apotek_capture_percent)?,
            )?,
            format!(
                "{} jiwa × {} obat/jiwa × {}% pangsa",
                count(p.population),
                a.medicine_per_capita,
                id(a.apotek_capture_percent)
            ),
        ),
        UnitKind::Klinik => (
            mul(
                mul(
                    mul(div(pop, Decimal::from(1000))?, a.visits_per_1000)?,
                    a.visit_fee.to_decimal(),
                )?,
                pct(a.klinik_capture_percent)?,
            )?,
            format!(
                "{} jiwa × {} kunjungan/1.000 jiwa × {} × {}% pangsa",
                count(p.population),
                id(a.visits_per_1000),
                a.visit_fee,
                id(a.klinik_capture_percent)
            ),
        ),
        UnitKind::SimpanPinjam => (
            mul(
                mul(
                    mul(Decimal::from(p.members), pct(a.borrowing_members_percent)?)?,
                    a.average_loan.to_decimal(),
                )?,
                pct(a.loan_rate_percent_per_month)?,
            )?,
            format!(
                "{} anggota × {}% meminjam × {} × jasa {}%/bulan",
                count(p.members),
                id(a.borrowing_members_percent),
                a.average_loan,
                id(a.loan_rate_percent_per_month)
            ),
        ),
        UnitKind::ColdStorage => (
            mul(
                mul(perishable, pct(a.cold_storage_capture_percent)?)?,
                a.cold_storage_fee_per_tonne.to_decimal(),
            )?,
            format!(
                "{} ton hasil mudah rusak × {}% disimpan × {}/ton",
                id(perishable),
                id(a.cold_storage_capture_percent),
                a.cold_storage_fee_per_tonne
            ),
        ),
        UnitKind::Logistik => (
            mul(
                mul(
                    mul(tonnes, pct(a.logistik_capture_percent)?)?,
                    p.market_distance_km,
                )?,
                a.logistik_fee_per_tonne_km.to_decimal(),
            )?,
            format!(
                "{} ton × {}% diangkut × {} km ke pasar × {}/ton-km",
                id(tonnes),
                id(a.logistik_capture_percent),
                id(p.market_distance_km),
                a.logistik_fee_per_tonne_km
            ),
        ),
        UnitKind::KantorKoperasi => (
            mul(
                mul(hh, a.transactions_per_household)?,
                a.transaction_fee.to_decimal(),
            )?,
            format!(
                "{} KK × {} transaksi agen × {}",
                count(p.households),
                id(a.transactions_per_household),
                a.transaction_fee
            ),
        ),
        UnitKind::Other => (Decimal::ZERO, "tidak diperkirakan (unit lain)".to_owned()),
    };
    Ok(Demand {
        monthly_revenue: RoundingPolicy::WHOLE_RUPIAH.round_decimal(value)?,
        formula,
    })
}

fn indicator(
    name: &str,
    p: &Profile,
    a: &Assumptions,
    u: UnitKind,
    d: &Demand,
) -> Result<(Decimal, String)> {
    let hundred = Decimal::ONE_HUNDRED;
    Ok(match name {
        "market_size" => {
            let reference = a
                .reference_demand
                .iter()
                .find(|(k, _)| *k == u)
                .map_or(Rupiah::ZERO, |(_, r)| *r);
            (
                clamp100(mul(
                    div(d.monthly_revenue.to_decimal(), reference.to_decimal())?,
                    hundred,
                )?),
                format!("permintaan {} ÷ acuan {}", d.monthly_revenue, reference),
            )
        }
        "competition_gap" => {
            let Some(kind) = outlet_for(u) else {
                return Ok((Decimal::ZERO, "tidak ada pembanding".to_owned()));
            };
            let sat = a
                .saturation_per_1000
                .iter()
                .find(|(k, _)| *k == kind)
                .map_or(Decimal::ONE, |(_, s)| *s);
            let (count, nearest) = p.outlets.iter().filter(|o| o.kind == kind).fold(
                (0_u32, None::<Decimal>),
                |(c, n), o| {
                    (
                        c.saturating_add(o.count),
                        Some(n.map_or(o.nearest_km, |x: Decimal| x.min(o.nearest_km))),
                    )
                },
            );
            let per_1000 = div(
                mul(Decimal::from(count), Decimal::from(1000))?,
                Decimal::from(p.households),
            )?;
            let density = hundred
                .checked_sub(mul(div(per_1000, sat)?, hundred)?)
                .ok_or_else(ov)?;
            let distance = match nearest {
                Some(km) if count > 0 => mul(km, Decimal::from(20))?,
                _ => hundred,
            };
            (
                clamp100(density.max(distance)),
                format!(
                    "{count} gerai sejenis ({} per 1.000 KK, jenuh pada {}), terdekat {}",
                    id(crate::num::ratio_dp(per_1000, 2)),
                    id(sat),
                    nearest.map_or_else(|| "tidak ada".to_owned(), |k| format!("{} km", id(k)))
                ),
            )
        }
        "access_need" => (
            clamp100(mul(p.market_distance_km, Decimal::TEN)?),
            format!("{} km ke pasar terdekat", id(p.market_distance_km)),
        ),
        "purchasing_power" => (
            clamp100(mul(
                div(
                    p.monthly_spending_per_household.to_decimal(),
                    a.reference_spending.to_decimal(),
                )?,
                hundred,
            )?),
            format!(
                "belanja {} per KK ÷ acuan {}",
                p.monthly_spending_per_household, a.reference_spending
            ),
        ),
        "member_base" => (
            clamp100(mul(
                div(Decimal::from(p.members), Decimal::from(a.reference_members))?,
                hundred,
            )?),
            format!(
                "{} anggota (simpanan {}) ÷ acuan {}",
                count(p.members),
                p.member_savings,
                count(a.reference_members)
            ),
        ),
        "supply" => {
            let t = p
                .commodities
                .iter()
                .filter(|c| u != UnitKind::ColdStorage || c.perishable)
                .try_fold(Decimal::ZERO, |s, c| {
                    s.checked_add(c.tonnes_per_month).ok_or_else(ov)
                })?;
            (
                clamp100(mul(div(t, a.reference_tonnes)?, hundred)?),
                format!("{} ton/bulan ÷ acuan {} ton", id(t), id(a.reference_tonnes)),
            )
        }
        other => {
            return Err(Error::InvalidList {
                field: "weights".to_owned(),
                detail: format!(
                    "unknown indicator {other:?} (expected market_size, competition_gap, access_need, purchasing_power, member_base, supply)"
                ),
            });
        }
    })
}

/// Scores and ranks the candidate units of a profile.
///
/// ```
/// use koperasi_core::{Decimal, Rupiah};
/// use koperasi_planning::mapping::{map, Assumptions, Profile, Weights};
///
/// let profile = Profile::new("Kelurahan Sukamaju", 12_000, 3_400,
///     Rupiah::from_rupiah(3_500_000), Decimal::from(8));
/// let m = map(&profile, &Weights::default_profile(), &Assumptions::default())?;
/// assert_eq!(m.ranking.len(), 7);
/// assert_eq!(m.ranking[0].rank, 1);
/// assert!(m.ranking.windows(2).all(|w| w[0].score >= w[1].score));
/// # Ok::<(), koperasi_planning::Error>(())
/// ```
///
/// # Errors
/// [`Error::InvalidList`] if a unit has no weights, its weights do not add up to 100, or a
/// weight names an unknown indicator; [`Error::OutOfRange`] for a negative distance or
/// volume; [`Error::Overflow`].
pub fn map(p: &Profile, w: &Weights, a: &Assumptions) -> Result<Mapping> {
    for (field, v) in [("market_distance_km", p.market_distance_km)]
        .into_iter()
        .chain(
            p.outlets
                .iter()
                .map(|o| ("outlets.nearest_km", o.nearest_km)),
        )
        .chain(
            p.commodities
                .iter()
                .map(|c| ("commodities.tonnes_per_month", c.tonnes_per_month)),
        )
    {
        if v.is_sign_negative() && !v.is_zero() {
            return Err(Error::OutOfRange {
                field: field.to_owned(),
                value: v,
                min: Decimal::ZERO,
                max: Decimal::MAX,
            });
        }
    }
    if p.monthly_spending_per_household.is_negative() {
        return Err(Error::NegativeAmount {
            field: "monthly_spending_per_household".to_owned(),
            value: p.monthly_spending_per_household,
        });
    }
    let candidates: Vec<UnitKind> = if p.candidates.is_empty() {
        UnitKind::STANDARD.to_vec()
    } else {
        p.candidates.clone()
    };
    let mut out = Vec::with_capacity(candidates.len());
    for u in candidates {
        let criteria = w
            .units
            .iter()
            .find(|(k, _)| *k == u)
            .map(|(_, c)| c)
            .ok_or_else(|| Error::InvalidList {
                field: "weights".to_owned(),
                detail: format!("no weights for unit {}", u.label()),
            })?;
        let total = criteria
            .iter()
            .try_fold(Decimal::ZERO, |s, c| s.checked_add(c.weight).ok_or_else(ov))?;
        if total != Decimal::ONE_HUNDRED {
            return Err(Error::InvalidList {
                field: "weights".to_owned(),
                detail: format!("weights of {} add up to {total}, not 100", u.label()),
            });
        }
        let d = demand(p, a, u)?;
        let mut parts = Vec::with_capacity(criteria.len());
        let mut score = Decimal::ZERO;
        for c in criteria {
            let (value, inputs) = indicator(&c.indicator, p, a, u, &d)?;
            let contribution =
                crate::num::ratio_dp(div(mul(value, c.weight)?, Decimal::ONE_HUNDRED)?, 2);
            score = score.checked_add(contribution).ok_or_else(ov)?;
            parts.push(ScorePart {
                indicator: c.indicator.clone(),
                inputs,
                value,
                weight: c.weight,
                contribution,
            });
        }
        out.push(UnitScore {
            rank: 0,
            unit: u,
            label: u.label().to_owned(),
            score,
            demand: d,
            parts,
        });
    }
    out.sort_by(|x, y| y.score.cmp(&x.score).then(x.unit.cmp(&y.unit)));
    for (i, s) in out.iter_mut().enumerate() {
        s.rank = u32::try_from(i).unwrap_or(u32::MAX).saturating_add(1);
    }
    Ok(Mapping {
        name: p.name.clone(),
        weights: w.name.clone(),
        ranking: out,
    })
}

impl Profile {
    /// A profile with no outlets, commodities or members; all seven units as candidates.
    pub fn new(
        name: &str,
        population: u32,
        households: u32,
        monthly_spending_per_household: Rupiah,
        market_distance_km: Decimal,
    ) -> Profile {
        Profile {
            name: name.to_owned(),
            population,
            households,
            monthly_spending_per_household,
            outlets: Vec::new(),
            commodities: Vec::new(),
            market_distance_km,
            members: 0,
            member_savings: Rupiah::ZERO,
            candidates: Vec::new(),
        }
    }

    /// With existing outlets.
    #[must_use]
    pub fn with_outlets(mut self, outlets: Vec<Outlets>) -> Self {
        self.outlets = outlets;
        self
    }

    /// With commodities.
    #[must_use]
    pub fn with_commodities(mut self, commodities: Vec<Commodity>) -> Self {
        self.commodities = commodities;
        self
    }

    /// With members and their savings.
    #[must_use]
    pub fn with_members(mut self, members: u32, savings: Rupiah) -> Self {
        self.members = members;
        self.member_savings = savings;
        self
    }
}

impl Outlets {
    /// `count` outlets of `kind`, the nearest `nearest_km` away.
    pub fn new(kind: OutletKind, count: u32, nearest_km: Decimal) -> Outlets {
        Outlets {
            kind,
            count,
            nearest_km,
        }
    }
}

impl Commodity {
    /// A commodity.
    pub fn new(name: &str, tonnes_per_month: Decimal, perishable: bool) -> Commodity {
        Commodity {
            name: name.to_owned(),
            tonnes_per_month,
            perishable,
        }
    }
}
