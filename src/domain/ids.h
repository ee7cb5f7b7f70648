#pragma once
// The strong ids of quitt's entities. Every stored row belongs to exactly one client.
#include "common/strong_id.h"

namespace quitt::domain {

using ClientId = StrongId<struct ClientIdTag>;
using CustomerId = StrongId<struct CustomerIdTag>;
using CaseId = StrongId<struct CaseIdTag>;
using ClaimId = StrongId<struct ClaimIdTag>;

}  // namespace quitt::domain
