//! The two small vocabularies every part of the sandbox shares: what kind of marketplace
//! offer a product is (its Partner Center subtype and ARM product type) and which purchasable
//! (term duration, billing cycle) combinations exist, with their wire spellings and windows.

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Kind {
    SaaS,
    VirtualMachines,
    Containers,
    AzureApplications,
}

impl Kind {
    /// Partner Center `productType.subType.id`.
    pub fn pc_subtype(self) -> &'static str {
        match self {
            Kind::SaaS => "SaaS",
            Kind::VirtualMachines => "VirtualMachines",
            Kind::Containers => "Containers",
            Kind::AzureApplications => "AzureApplications",
        }
    }
    /// ARM `productType`.
    pub fn arm(self) -> &'static str {
        match self {
            Kind::SaaS => "SaaS",
            Kind::VirtualMachines => "VirtualMachine",
            Kind::Containers => "Container",
            Kind::AzureApplications => "AzureApplication",
        }
    }
}

/// A purchasable (term duration, billing cycle) combination.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Term {
    M1Monthly,
    Y1Annual,
    Y1Monthly,
}

impl Term {
    pub const ALL: [Term; 3] = [Term::M1Monthly, Term::Y1Annual, Term::Y1Monthly];
    pub fn duration(self) -> &'static str {
        match self {
            Term::M1Monthly => "P1M",
            _ => "P1Y",
        }
    }
    /// Availability-term spelling (`"Monthly"`/`"Annual"`).
    pub fn billing(self) -> &'static str {
        match self {
            Term::Y1Annual => "Annual",
            _ => "Monthly",
        }
    }
    /// Cart/order/subscription spelling (`"monthly"`/`"annual"`).
    pub fn cycle(self) -> &'static str {
        match self {
            Term::Y1Annual => "annual",
            _ => "monthly",
        }
    }
    pub fn description(self) -> &'static str {
        match self {
            Term::M1Monthly => "One-Month commitment for monthly billing",
            Term::Y1Annual => "One-Year commitment for yearly billing",
            Term::Y1Monthly => "One-Year commitment for monthly billing",
        }
    }
    /// Full-refund window. ASSUMPTION: follows the billing cycle (24 h monthly, 14 days annual),
    /// the legacy marketplace SaaS rule, so catalog and subscriptions agree.
    pub fn refund_days(self) -> i64 {
        match self {
            Term::Y1Annual => 14,
            _ => 1,
        }
    }
    pub fn term_months(self) -> u32 {
        match self {
            Term::M1Monthly => 1,
            _ => 12,
        }
    }
    /// Months between two charges.
    pub fn charge_months(self) -> u32 {
        match self {
            Term::Y1Annual => 12,
            _ => 1,
        }
    }
    pub fn code(self) -> u64 {
        match self {
            Term::M1Monthly => 1,
            Term::Y1Annual => 2,
            Term::Y1Monthly => 3,
        }
    }
    pub fn from_cart(duration: &str, cycle: &str) -> Option<Term> {
        Term::ALL.into_iter().find(|t| {
            t.duration().eq_ignore_ascii_case(duration) && t.cycle().eq_ignore_ascii_case(cycle)
        })
    }
}
