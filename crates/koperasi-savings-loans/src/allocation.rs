//! Repayment allocation: which part of a payment pays which component of which installment.

use koperasi_core::Rupiah;

use crate::money::{rp, sub};
use crate::{Error, Result};

/// A component of what a borrower owes on an installment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum Component {
    /// Late penalty (denda).
    #[doc(alias = "denda")]
    Penalty,
    /// Fee (provisi, administrasi).
    #[doc(alias = "provisi")]
    #[doc(alias = "biaya administrasi")]
    Fee,
    /// Interest (bunga, jasa).
    #[doc(alias = "bunga")]
    #[doc(alias = "jasa")]
    Interest,
    /// Principal (pokok).
    #[doc(alias = "pokok")]
    Principal,
}

impl Component {
    fn index(self) -> usize {
        match self {
            Component::Penalty => 0,
            Component::Fee => 1,
            Component::Interest => 2,
            Component::Principal => 3,
        }
    }
}

/// Whether an allocation order runs installment by installment or component by component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum AllocationStrategy {
    /// Oldest installment first; within it, the components in order.
    #[default]
    InstallmentByInstallment,
    /// The first component across all installments (oldest first), then the next component.
    ComponentByComponent,
}

/// The order in which a payment pays what is owed.
///
/// ```
/// use koperasi_savings_loans::{AllocationOrder, AllocationStrategy, Component};
///
/// let standard = AllocationOrder::default(); // denda → biaya → bunga → pokok, oldest first
/// assert_eq!(standard.components()[0], Component::Penalty);
/// assert!(AllocationOrder::new(AllocationStrategy::ComponentByComponent,
///     [Component::Interest, Component::Interest, Component::Fee, Component::Principal]).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AllocationOrder {
    strategy: AllocationStrategy,
    components: [Component; 4],
}

impl Default for AllocationOrder {
    /// Penalty → fee → interest → principal, oldest installment first.
    fn default() -> Self {
        AllocationOrder {
            strategy: AllocationStrategy::InstallmentByInstallment,
            components: [
                Component::Penalty,
                Component::Fee,
                Component::Interest,
                Component::Principal,
            ],
        }
    }
}

impl AllocationOrder {
    /// A custom order.
    ///
    /// # Errors
    /// [`Error::InvalidAllocationOrder`] unless each component appears exactly once.
    pub fn new(strategy: AllocationStrategy, components: [Component; 4]) -> Result<Self> {
        let mut seen = [false; 4];
        for c in components {
            let i = c.index();
            if seen.get(i).copied().unwrap_or(true) {
                return Err(Error::InvalidAllocationOrder);
            }
            if let Some(s) = seen.get_mut(i) {
                *s = true;
            }
        }
        Ok(AllocationOrder {
            strategy,
            components,
        })
    }

    /// Interest first: all interest due (oldest first), then principal, fees, penalties.
    pub fn interest_first() -> Self {
        AllocationOrder {
            strategy: AllocationStrategy::ComponentByComponent,
            components: [
                Component::Interest,
                Component::Principal,
                Component::Fee,
                Component::Penalty,
            ],
        }
    }

    /// Principal first: all principal due (oldest first), then interest, fees, penalties.
    pub fn principal_first() -> Self {
        AllocationOrder {
            strategy: AllocationStrategy::ComponentByComponent,
            components: [
                Component::Principal,
                Component::Interest,
                Component::Fee,
                Component::Penalty,
            ],
        }
    }

    /// The strategy.
    pub fn strategy(&self) -> AllocationStrategy {
        self.strategy
    }

    /// The components in order.
    pub fn components(&self) -> [Component; 4] {
        self.components
    }
}

/// What is still owed on one installment, by component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Dues {
    /// Penalty (denda).
    pub penalty: Rupiah,
    /// Fees.
    pub fee: Rupiah,
    /// Interest.
    pub interest: Rupiah,
    /// Principal.
    pub principal: Rupiah,
}

impl Dues {
    pub(crate) fn to_sen(self) -> [i128; 4] {
        [
            self.penalty.to_sen(),
            self.fee.to_sen(),
            self.interest.to_sen(),
            self.principal.to_sen(),
        ]
    }

    pub(crate) fn from_sen(a: [i128; 4]) -> Result<Dues> {
        let [p, f, i, pr] = a;
        Ok(Dues {
            penalty: rp(p)?,
            fee: rp(f)?,
            interest: rp(i)?,
            principal: rp(pr)?,
        })
    }

    /// Sum of the components.
    ///
    /// # Errors
    /// [`Error::Core`] on overflow.
    pub fn total(&self) -> Result<Rupiah> {
        Ok(Rupiah::try_sum([
            self.penalty,
            self.fee,
            self.interest,
            self.principal,
        ])?)
    }
}

/// The result of [`allocate`]: the part of the payment for each line, and what is left.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AllocationPlan {
    /// One entry per line of the input, same order.
    pub parts: Vec<Dues>,
    /// What the lines could not absorb.
    pub remainder: Rupiah,
}

/// Allocates `amount` over `lines` (oldest first) in `order`, never more than a component
/// owes. Pure: the lines are not changed.
///
/// ```
/// use koperasi_core::Rupiah;
/// use koperasi_savings_loans::{allocate, AllocationOrder, Dues};
///
/// let r = Rupiah::from_rupiah;
/// let owed = [Dues { penalty: r(5_000), fee: r(0), interest: r(100_000), principal: r(800_000) }];
/// let plan = allocate(r(300_000), &owed, &AllocationOrder::default())?;
/// assert_eq!(plan.parts[0].penalty, r(5_000));
/// assert_eq!(plan.parts[0].interest, r(100_000));
/// assert_eq!(plan.parts[0].principal, r(195_000));
/// assert_eq!(plan.remainder, r(0));
/// # Ok::<(), koperasi_savings_loans::Error>(())
/// ```
///
/// # Errors
/// [`Error::NonPositiveAmount`] for a negative amount; [`Error::Core`] on overflow.
pub fn allocate(amount: Rupiah, lines: &[Dues], order: &AllocationOrder) -> Result<AllocationPlan> {
    if amount.is_negative() {
        return Err(Error::NonPositiveAmount {
            what: "payment",
            amount,
        });
    }
    let owed: Vec<[i128; 4]> = lines.iter().map(|d| d.to_sen()).collect();
    let mut parts = vec![[0_i128; 4]; owed.len()];
    let remainder = allocate_sen(amount.to_sen(), &owed, &mut parts, order)?;
    Ok(AllocationPlan {
        parts: parts
            .into_iter()
            .map(Dues::from_sen)
            .collect::<Result<Vec<_>>>()?,
        remainder: rp(remainder)?,
    })
}

/// Allocation on sen arrays; adds to `parts`, returns the remainder.
pub(crate) fn allocate_sen(
    mut left: i128,
    owed: &[[i128; 4]],
    parts: &mut [[i128; 4]],
    order: &AllocationOrder,
) -> Result<i128> {
    let mut take = |line: usize, comp: usize, left: &mut i128| -> Result<()> {
        let due = owed
            .get(line)
            .and_then(|o| o.get(comp))
            .copied()
            .unwrap_or(0);
        let already = parts
            .get(line)
            .and_then(|o| o.get(comp))
            .copied()
            .unwrap_or(0);
        let open = sub(due, already)?.max(0);
        let t = open.min(*left);
        if t > 0 {
            if let Some(p) = parts.get_mut(line).and_then(|o| o.get_mut(comp)) {
                *p = crate::money::add(*p, t)?;
            }
            *left = sub(*left, t)?;
        }
        Ok(())
    };
    match order.strategy {
        AllocationStrategy::InstallmentByInstallment => {
            for line in 0..owed.len() {
                for c in order.components {
                    if left == 0 {
                        return Ok(0);
                    }
                    take(line, c.index(), &mut left)?;
                }
            }
        }
        AllocationStrategy::ComponentByComponent => {
            for c in order.components {
                for line in 0..owed.len() {
                    if left == 0 {
                        return Ok(0);
                    }
                    take(line, c.index(), &mut left)?;
                }
            }
        }
    }
    Ok(left)
}
