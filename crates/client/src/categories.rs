//! Azure Marketplace category ids and their display names.

/// `(id, display name)` of the Azure Marketplace categories.
pub const CATEGORIES: &[(&str, &str)] = &[
    ("ai-plus-machine-learning", "AI + Machine Learning"),
    ("analytics", "Analytics"),
    ("blockchain", "Blockchain"),
    ("compute", "Compute"),
    ("containers", "Containers"),
    ("databases", "Databases"),
    ("developer-tools", "Developer Tools"),
    ("devops", "DevOps"),
    ("identity", "Identity"),
    ("integration", "Integration"),
    ("internet-of-things", "Internet of Things"),
    ("it-and-management-tools", "IT & Management Tools"),
    ("media", "Media"),
    ("migration", "Migration"),
    ("mixed-reality", "Mixed Reality"),
    ("monitoring-and-diagnostics", "Monitoring & Diagnostics"),
    ("networking", "Networking"),
    ("security", "Security"),
    ("storage", "Storage"),
    ("web", "Web"),
    ("productivity", "Productivity"),
    ("collaboration", "Collaboration"),
    ("finance", "Finance"),
    ("sales", "Sales"),
    ("marketing", "Marketing"),
    ("customer-service", "Customer Service"),
    ("human-resources", "Human Resources"),
    ("operations", "Operations"),
];

/// Display name of a category id; unknown ids are shown as they are.
pub fn display_name(id: &str) -> String {
    CATEGORIES
        .iter()
        .find(|(i, _)| i.eq_ignore_ascii_case(id))
        .map(|(_, n)| n.to_string())
        .unwrap_or_else(|| id.to_string())
}

/// The category id for a user's input: an id or a display name, any case.
pub fn resolve(input: &str) -> String {
    let folded = input.trim().to_lowercase();
    CATEGORIES
        .iter()
        .find(|(i, n)| *i == folded || n.to_lowercase() == folded)
        .map(|(i, _)| i.to_string())
        .unwrap_or(folded)
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_and_ids() {
        assert_eq!(super::display_name("security"), "Security");
        assert_eq!(
            super::resolve("AI + Machine Learning"),
            "ai-plus-machine-learning"
        );
        assert_eq!(super::resolve("Security"), "security");
        assert_eq!(super::display_name("brand-new"), "brand-new");
    }
}
