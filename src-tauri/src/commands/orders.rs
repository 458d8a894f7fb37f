//! Customers, the buy flow (review, place, confirmation) and the orders journal (issue 5).
