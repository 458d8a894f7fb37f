//! Invoices and their line items, publishers with contacts and local notes (issue 7).

use super::AppCore;

impl AppCore {}
