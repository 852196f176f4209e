#pragma once

#include "store/records.hpp"
#include "store/transaction.hpp"

#include <optional>
#include <string_view>

namespace certfleet::store {

/// Records a CRL; its number must be above every earlier one of its issuer and signer (Error(conflict)).
void insert_crl(Transaction& tx, const CrlRecord& crl);
/// Records a CRL as insert_crl does, with its audit entry (crl.generate by `actor`).
void record_crl(Transaction& tx, const CrlRecord& crl, const Actor& actor);
/// Returns the newest CRL of `issuer_id` by `signer`, or nullopt.
std::optional<CrlRecord> latest_crl(Transaction& tx,
                                    std::int64_t issuer_id,
                                    CrlSigner signer = CrlSigner::issuer);

}  // namespace certfleet::store
