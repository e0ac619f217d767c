//! [`proptest`](https://docs.rs/proptest) strategies for ledger types (feature `proptest`),
//! for embedders' own property tests.
//!
//! Entries use the accounts of [`ChartOfAccounts::standard_kkmp`] and amounts in sen, so
//! every generated value is valid by construction (balanced entries balance exactly).

use chrono::NaiveDate;
use koperasi_core::{ActorId, EntryId, MemberId, Rupiah};
use proptest::prelude::*;

use crate::chart::{ChartOfAccounts, Side};
use crate::entry::{BusinessUnit, Counterparty, Dimensions, JournalEntry, Line};

/// Positive amounts from Rp0,01 to Rp10.000.000.
pub fn amount() -> impl Strategy<Value = Rupiah> {
    (1_i64..=1_000_000_000).prop_map(Rupiah::from_sen)
}

/// The codes of the postable accounts of the standard KKMP chart.
pub fn standard_postable_codes() -> Vec<String> {
    ChartOfAccounts::standard_kkmp()
        .map(|c| {
            c.iter()
                .filter(|a| a.postable)
                .map(|a| a.code.as_str().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// A postable account code of the standard chart.
pub fn postable_code() -> impl Strategy<Value = String> {
    proptest::sample::select(standard_postable_codes())
}

/// Any business unit (the seven standard ones and a few others).
pub fn business_unit() -> impl Strategy<Value = BusinessUnit> {
    prop_oneof![
        proptest::sample::select(BusinessUnit::STANDARD.to_vec()),
        (0_u8..4).prop_map(BusinessUnit::Other),
    ]
}

/// Any counterparty kind.
pub fn counterparty() -> impl Strategy<Value = Counterparty> {
    prop_oneof![
        Just(Counterparty::Member),
        Just(Counterparty::NonMember),
        Just(Counterparty::OtherCoop),
    ]
}

/// Dimensions, each present or not; members among a small set so that they repeat.
pub fn dimensions() -> impl Strategy<Value = Dimensions> {
    (
        proptest::option::of(business_unit()),
        proptest::option::of(counterparty()),
        proptest::option::of((1_u128..=5).prop_map(MemberId::from_u128)),
    )
        .prop_map(|(unit, counterparty, member)| Dimensions {
            unit,
            counterparty,
            member,
        })
}

/// A balanced entry of 2 to 6 lines on standard-chart accounts that carry no balance limit
/// (so it always posts into open books dated on or after its date), with the given id and
/// date.
pub fn balanced_entry(id: EntryId, date: NaiveDate) -> impl Strategy<Value = JournalEntry> {
    let unlimited: Vec<String> = ChartOfAccounts::standard_kkmp()
        .map(|c| {
            c.iter()
                .filter(|a| a.postable && a.limit.is_none())
                .map(|a| a.code.as_str().to_owned())
                .collect()
        })
        .unwrap_or_default();
    let line = (
        proptest::sample::select(unlimited.clone()),
        any::<bool>(),
        amount(),
        dimensions(),
    );
    (
        proptest::collection::vec(line, 1..=5),
        proptest::sample::select(unlimited),
        "[a-z ]{0,12}",
        "[a-z:0-9]{0,10}",
    )
        .prop_map(move |(lines, balancing, memo, source)| {
            let mut e = JournalEntry::new(id, date, ActorId::from_u128(1))
                .with_memo(memo)
                .with_source(source);
            let mut net: i128 = 0;
            for (code, debit, amount, dims) in lines {
                let side = if debit { Side::Debit } else { Side::Credit };
                net = match side {
                    Side::Debit => net.saturating_add(amount.to_sen()),
                    Side::Credit => net.saturating_sub(amount.to_sen()),
                };
                if let Ok(c) = code.parse() {
                    e.lines.push(Line::new(c, side, amount).with_dims(dims));
                }
            }
            // One line has a non-zero net, so a balancing line always gives ≥ 2 lines.
            if net != 0 {
                let side = if net > 0 { Side::Credit } else { Side::Debit };
                if let (Ok(c), Ok(a)) = (
                    balancing.parse(),
                    Rupiah::try_from_sen_i128(net.saturating_abs()),
                ) {
                    e.lines.push(Line::new(c, side, a));
                }
            }
            e
        })
}
