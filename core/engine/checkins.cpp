#include "engine/checkins.h"

namespace checker {

void RecordCheckin(StateStore& store, const Job& job, const Checkin& checkin) {
  StateStore::Transaction transaction(store);
  store.RecordCheckin(job.key, job.name, checkin.when, checkin.failed,
                      checkin.message.substr(0, kMaxCheckinMessageBytes));
  transaction.Commit();
}

}  // namespace checker
