// The life of a request over real gRPC against real org, member and dispatch
// processes and the real MariaDB.
#include <thread>

#include "tests/dispatch/dispatch_test_base.h"

namespace lianxin::testing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;

TEST_F(DispatchTest, TheWholeLifeFromSubmitToRating) {
  dv1::Request r;
  ASSERT_THAT(Submit(resident_, NewRequest(), &r, "slip-1"), IsOk());
  dv1::Request again;
  ASSERT_THAT(Submit(resident_, NewRequest(), &again, "slip-1"), IsOk());  // a retry
  EXPECT_EQ(again.name(), r.name());
  EXPECT_EQ(r.state(), dv1::REQUEST_STATE_PENDING);
  EXPECT_EQ(r.responsible_unit(), group_);                             // the building party group covering the building
  EXPECT_EQ(r.contact_phone(), "138****5678");                         // answers to changes mask it
  EXPECT_EQ(Get(resident_, r.name()).contact_phone(), "13812345678");  // the resident reads their own
  EXPECT_EQ(Get(secretary_, r.name()).contact_phone(), "138****5678");
  // The phone is sealed at rest.
  EXPECT_EQ(probe_->Scalar("SELECT GROUP_CONCAT(phone_sealed) FROM requests").find("13812345678"), std::string::npos);

  // Candidates: the member in the building with the category's skill first.
  dv1::SuggestCandidatesRequest sug;
  sug.set_name(r.name());
  dv1::SuggestCandidatesResponse cands;
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->SuggestCandidates(c, sug, &cands); }),
              IsOk());
  ASSERT_GE(cands.candidates_size(), 6);
  EXPECT_EQ(cands.candidates(0).member(), residents_[0]);
  EXPECT_THAT(cands.candidates(0).reasons(), Contains("lives in the building"));
  EXPECT_THAT(cands.candidates(0).reasons(), Contains("skill 水电维修"));

  dv1::DispatchRequestRequest d;
  d.set_name(r.name());
  d.set_member(residents_[0]);
  d.set_etag(r.etag());
  dv1::Request out;
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->DispatchRequest(c, d, &out); }), IsOk());
  EXPECT_EQ(out.state(), dv1::REQUEST_STATE_DISPATCHED);
  EXPECT_TRUE(out.has_accept_due_time());
  std::string member = MemberToken(residents_[0]);
  EXPECT_EQ(Get(member, r.name()).contact_phone(), "13812345678");  // the member dispatched may call
  // Every clear read is there for auditors.
  dv1::ListPhoneReadsRequest reads_req;
  reads_req.set_name(r.name());
  dv1::ListPhoneReadsResponse reads;
  ASSERT_THAT(Call(key_->Token("aud", {"auditor"}, "*"),
                   [&](grpc::ClientContext* c) { return stub_->ListPhoneReads(c, reads_req, &reads); }),
              IsOk());
  ASSERT_EQ(reads.reads_size(), 2);
  EXPECT_EQ(reads.reads(0).reader(), "resident-1");
  EXPECT_EQ(reads.reads(1).reader(), residents_[0]);
  EXPECT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->ListPhoneReads(c, reads_req, &reads); }),
              HasCode(grpc::PERMISSION_DENIED));

  dv1::AcceptRequestRequest accept;
  accept.set_name(r.name());
  ASSERT_THAT(Call(member, [&](grpc::ClientContext* c) { return stub_->AcceptRequest(c, accept, &out); }), IsOk());
  dv1::RecordProgressRequest progress;
  progress.set_name(r.name());
  progress.set_note("已上门查看，需要换灯泡");
  progress.set_minutes_spent(20);
  ASSERT_THAT(Call(member, [&](grpc::ClientContext* c) { return stub_->RecordProgress(c, progress, &out); }), IsOk());
  dv1::ResolveRequestRequest resolve;
  resolve.set_name(r.name());
  resolve.set_resolution("已更换楼道灯");
  resolve.set_minutes_spent(45);
  resolve.add_photo_urls("https://img.example/after.jpg");
  ASSERT_THAT(Call(member, [&](grpc::ClientContext* c) { return stub_->ResolveRequest(c, resolve, &out); }), IsOk());
  EXPECT_EQ(out.state(), dv1::REQUEST_STATE_RESOLVED);
  EXPECT_EQ(out.minutes_spent(), 45);

  // Only the resident confirms; the outbox gets the event in the same step.
  dv1::ConfirmRequestRequest confirm;
  confirm.set_name(r.name());
  confirm.set_rating(5);
  EXPECT_THAT(Call(member, [&](grpc::ClientContext* c) { return stub_->ConfirmRequest(c, confirm, &out); }),
              HasCode(grpc::PERMISSION_DENIED));
  EXPECT_EQ(probe_->Count("outbox"), 0);
  ASSERT_THAT(Call(resident_, [&](grpc::ClientContext* c) { return stub_->ConfirmRequest(c, confirm, &out); }), IsOk());
  EXPECT_EQ(out.state(), dv1::REQUEST_STATE_CLOSED);
  EXPECT_EQ(out.rating(), 5);
  EXPECT_EQ(probe_->Count("outbox", "type = 'request.closed'"), 1);
  EXPECT_THAT(Timeline(r.name()), ElementsAre("submit", "dispatch", "accept", "progress", "resolve", "confirm"));
  // Closed: nothing moves it any more.
  EXPECT_THAT(Call(resident_, [&](grpc::ClientContext* c) { return stub_->ConfirmRequest(c, confirm, &out); }),
              HasCode(grpc::FAILED_PRECONDITION));
}

TEST_F(DispatchTest, BadInputAndIllegalMovesWriteNothing) {
  struct Case {
    const char* what;
    std::function<void(dv1::Request&)> edit;
    grpc::StatusCode code;
    const char* field;
  };
  std::vector<Case> cases = {
      {"unknown building", [](dv1::Request& r) { r.set_place("places/nosuchplace"); }, grpc::NOT_FOUND,
       "request.place"},
      {"unknown category", [this](dv1::Request& r) { r.set_category(district_ + "/categories/nosuch"); },
       grpc::NOT_FOUND, "request.category"},
      {"bad phone", [](dv1::Request& r) { r.set_contact_phone("12345"); }, grpc::INVALID_ARGUMENT,
       "request.contact_phone"},
      {"no description", [](dv1::Request& r) { r.clear_description(); }, grpc::INVALID_ARGUMENT, "request.description"},
      {"invalid UTF-8", [](dv1::Request& r) { r.set_description("\xff"); }, grpc::INVALID_ARGUMENT,
       "request.description"},
      {"no urgency", [](dv1::Request& r) { r.clear_urgency(); }, grpc::INVALID_ARGUMENT, "request.urgency"},
      // A newline once smuggled a second link through the stored list.
      {"photo with a newline",
       [](dv1::Request& r) { r.add_photo_urls("https://img.example/a.jpg\nhttps://x.example/b"); },
       grpc::INVALID_ARGUMENT, "request.photo_urls"},
      {"photo over plain http", [](dv1::Request& r) { r.add_photo_urls("http://img.example/a.jpg"); },
       grpc::INVALID_ARGUMENT, "request.photo_urls"},
      {"photo with a control character", [](dv1::Request& r) { r.add_photo_urls("https://img.example/a\x01.jpg"); },
       grpc::INVALID_ARGUMENT, "request.photo_urls"},
      {"photo with a quote", [](dv1::Request& r) { r.add_photo_urls("https://img.example/a\",\"b.jpg"); },
       grpc::INVALID_ARGUMENT, "request.photo_urls"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    dv1::Request r = NewRequest();
    c.edit(r);
    std::string before = Written();
    dv1::Request out;
    grpc::Status s = Submit(resident_, r, &out);
    EXPECT_THAT(s, HasCode(c.code));
    EXPECT_THAT(ViolatedFields(s), Contains(c.field));
    EXPECT_EQ(Written(), before);
  }

  dv1::Request r, out;
  dv1::Request with_photos = NewRequest();
  with_photos.add_photo_urls("https://img.example/a.jpg?x=1&y=%0A");
  with_photos.add_photo_urls("https://img.example/b.jpg");
  ASSERT_THAT(Submit(resident_, with_photos, &r), IsOk());
  dv1::GetRequestRequest read;
  read.set_name(r.name());
  ASSERT_THAT(Call(resident_, [&](grpc::ClientContext* c) { return stub_->GetRequest(c, read, &out); }), IsOk());
  EXPECT_THAT(out.photo_urls(), ElementsAre("https://img.example/a.jpg?x=1&y=%0A", "https://img.example/b.jpg"));
  // Stored as a list no value can split.
  EXPECT_EQ(probe_->Scalar(absl::StrCat("SELECT photo_urls FROM requests WHERE id = '", r.name().substr(9), "'")),
            R"(["https://img.example/a.jpg?x=1&y=%0A","https://img.example/b.jpg"])");
  std::string before = Written();
  // A transition out of order: nobody dispatched it yet.
  dv1::AcceptRequestRequest accept;
  accept.set_name(r.name());
  EXPECT_THAT(
      Call(MemberToken(residents_[0]), [&](grpc::ClientContext* c) { return stub_->AcceptRequest(c, accept, &out); }),
      HasCode(grpc::PERMISSION_DENIED));  // not theirs
  dv1::ResolveRequestRequest resolve;
  resolve.set_name(r.name());
  resolve.set_resolution("x");
  EXPECT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->ResolveRequest(c, resolve, &out); }),
              HasCode(grpc::PERMISSION_DENIED));
  dv1::ConfirmRequestRequest confirm;
  confirm.set_name(r.name());
  confirm.set_rating(4);
  grpc::Status s = Call(resident_, [&](grpc::ClientContext* c) { return stub_->ConfirmRequest(c, confirm, &out); });
  EXPECT_THAT(s, HasCode(grpc::FAILED_PRECONDITION));
  EXPECT_EQ(ErrorReason(s), "ILLEGAL_TRANSITION");
  // A member dispatching to themself; an unknown member; a stale etag.
  std::string leader_member = residents_[1];
  std::string leader = key_->Token(leader_member, {"secretary", "member"}, group_);
  dv1::DispatchRequestRequest d;
  d.set_name(r.name());
  d.set_member(leader_member);
  s = Call(leader, [&](grpc::ClientContext* c) { return stub_->DispatchRequest(c, d, &out); });
  EXPECT_THAT(ViolatedFields(s), ElementsAre("member"));
  d.set_member("members/nosuchmember");
  s = Call(secretary_, [&](grpc::ClientContext* c) { return stub_->DispatchRequest(c, d, &out); });
  EXPECT_THAT(s, HasCode(grpc::NOT_FOUND));
  EXPECT_THAT(ViolatedFields(s), ElementsAre("member"));
  d.set_member(residents_[0]);
  d.set_etag("v99");
  EXPECT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->DispatchRequest(c, d, &out); }),
              HasCode(grpc::ABORTED));
  // A resident reading someone else's request; a secretary of another unit.
  dv1::GetRequestRequest get;
  get.set_name(r.name());
  EXPECT_THAT(Call(key_->Token("resident-2", {"resident"}, district_),
                   [&](grpc::ClientContext* c) { return stub_->GetRequest(c, get, &out); }),
              HasCode(grpc::PERMISSION_DENIED));
  std::string other_branch = Unit(community_, ov1::ORG_UNIT_TYPE_BRANCH);
  EXPECT_THAT(Call(key_->Token("sec-x", {"secretary"}, other_branch),
                   [&](grpc::ClientContext* c) { return stub_->GetRequest(c, get, &out); }),
              HasCode(grpc::PERMISSION_DENIED));
  // ...nor dispatch it (asked of the org service outside the batch), twice.
  d.clear_etag();
  for (int i = 0; i < 2; ++i) {
    EXPECT_THAT(Call(key_->Token("sec-x", {"secretary"}, other_branch),
                     [&](grpc::ClientContext* c) { return stub_->DispatchRequest(c, d, &out); }),
                HasCode(grpc::PERMISSION_DENIED));
  }
  EXPECT_EQ(Written(), before);
}

TEST_F(DispatchTest, ADuplicateIsOfferedAndMeTooCountsUp) {
  dv1::Request first, out;
  ASSERT_THAT(Submit(resident_, NewRequest(), &first), IsOk());
  std::string neighbour = key_->Token("resident-2", {"resident"}, district_);
  std::string before = Written();
  grpc::Status s = Submit(neighbour, NewRequest(), &out);
  EXPECT_THAT(s, HasCode(grpc::FAILED_PRECONDITION));
  EXPECT_EQ(ErrorReason(s), "DUPLICATE_REQUEST");
  EXPECT_NE(s.error_message().find(first.name()), std::string::npos);
  EXPECT_EQ(Written(), before);
  dv1::MeTooRequest me_too;
  me_too.set_name(first.name());
  ASSERT_THAT(Call(neighbour, [&](grpc::ClientContext* c) { return stub_->MeToo(c, me_too, &out); }), IsOk());
  EXPECT_EQ(out.me_too_count(), 1);
  // The neighbour sees what a neighbour may: category, place, state, count;
  // not the description, address, phone, submitter or assignee.
  EXPECT_EQ(out.category(), first.category());
  EXPECT_EQ(out.place(), first.place());
  EXPECT_EQ(out.state(), first.state());
  EXPECT_FALSE(out.has_description() || out.has_address() || out.has_contact_phone() || out.has_resident() ||
               out.has_assignee() || out.has_responsible_unit())
      << out.DebugString();
  // Said twice, or four times at once, it counts once.
  std::string counted = Written();
  std::vector<std::thread> again;
  for (int i = 0; i < 4; ++i) {
    again.emplace_back([&] {
      dv1::Request seen;
      EXPECT_THAT(Call(neighbour, [&](grpc::ClientContext* c) { return stub_->MeToo(c, me_too, &seen); }), IsOk());
      EXPECT_EQ(seen.me_too_count(), 1);
    });
  }
  for (auto& t : again) t.join();
  EXPECT_EQ(Written(), counted);
  // Another category, or another building, is not a duplicate.
  ASSERT_THAT(Submit(neighbour, NewRequest("policy"), &out), IsOk());
  ASSERT_THAT(Submit(neighbour, NewRequest("repair", other_building_), &out), IsOk());
  EXPECT_EQ(out.responsible_unit(), branch_);  // no building party group there: the branch
}

TEST_F(DispatchTest, ARetryGetsTheFirstCallsRequestAlsoAmongOthersAndRacingItself) {
  // Submissions are written assuming no retry; a request id seen before sends
  // the batch round again, looking the ids up. Retries, new requests and the
  // same request id racing itself, all at once: each id makes one request.
  dv1::Request first;
  ASSERT_THAT(Submit(resident_, NewRequest(), &first, "retry-0", /*allow_duplicate=*/true), IsOk());
  const std::string count = "SELECT COUNT(*) FROM requests";
  const std::string before = probe_->Scalar(count);
  std::vector<std::string> names(24);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < names.size(); ++i) {
    threads.emplace_back([&, i] {
      // Thirds: retries of retry-0, eight calls each of retry-1, new ones.
      std::string id = i % 3 == 0 ? "retry-0" : i % 3 == 1 ? "retry-1" : absl::StrCat("new-", i);
      dv1::Request out;
      EXPECT_THAT(Submit(resident_, NewRequest(), &out, id, /*allow_duplicate=*/true), IsOk());
      names[i] = out.name();
    });
  }
  for (auto& t : threads) t.join();
  for (size_t i = 0; i < names.size(); ++i) {
    if (i % 3 == 0) {
      EXPECT_EQ(names[i], first.name());
    }
    if (i % 3 == 1) {
      EXPECT_EQ(names[i], names[1]);
    }
  }
  EXPECT_NE(names[1], first.name());
  EXPECT_EQ(std::stoi(probe_->Scalar(count)), std::stoi(before) + 1 + 8);  // retry-1 and the eight new ones
}

TEST_F(DispatchTest, RacingGrabsOneWinnerTheOthersAClearRefusal) {
  dv1::Request r, out;
  ASSERT_THAT(Submit(resident_, NewRequest("policy"), &r), IsOk());
  dv1::OpenForGrabRequest open;
  open.set_name(r.name());
  dv1::Request repair;
  ASSERT_THAT(Submit(resident_, NewRequest("repair"), &repair), IsOk());
  open.set_name(repair.name());
  grpc::Status s = Call(secretary_, [&](grpc::ClientContext* c) { return stub_->OpenForGrab(c, open, &out); });
  EXPECT_EQ(ErrorReason(s), "NOT_GRABBABLE");
  open.set_name(r.name());
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->OpenForGrab(c, open, &out); }), IsOk());
  EXPECT_EQ(out.state(), dv1::REQUEST_STATE_OFFERED);

  std::atomic<int> won{0}, refused{0};
  std::vector<std::thread> threads;
  for (const auto& m : residents_) {
    threads.emplace_back([&, m] {
      auto stub = dv1::DispatchService::NewStub(dispatch_->Channel());
      dv1::GrabRequestRequest grab;
      grab.set_name(r.name());
      dv1::Request got;
      grpc::ClientContext ctx;
      PrepareClientContext(&ctx, MemberToken(m), "", absl::Seconds(15));
      grpc::Status st = stub->GrabRequest(&ctx, grab, &got);
      if (st.ok()) {
        ++won;
      } else if (st.error_code() == grpc::FAILED_PRECONDITION && ErrorReason(st) == "ALREADY_TAKEN") {
        ++refused;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(refused.load(), static_cast<int>(residents_.size()) - 1);
  dv1::Request after = Get(admin_, r.name());
  EXPECT_EQ(after.state(), dv1::REQUEST_STATE_IN_PROGRESS);
  EXPECT_EQ(
      probe_->Count("request_timeline", absl::StrCat("request_id = '", r.name().substr(9), "' AND action = 'grab'")),
      1);
  // A member of another community may not grab.
  EXPECT_NE(after.assignee(), "");
}

TEST_F(DispatchTest, DeclineAndNoAnswerInTimeReturnItToTheUnit) {
  dv1::Request r, out;
  ASSERT_THAT(Submit(resident_, NewRequest(), &r), IsOk());
  dv1::DispatchRequestRequest d;
  d.set_name(r.name());
  d.set_member(residents_[2]);
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->DispatchRequest(c, d, &out); }), IsOk());
  dv1::DeclineRequestRequest decline;
  decline.set_name(r.name());
  grpc::Status s =
      Call(MemberToken(residents_[2]), [&](grpc::ClientContext* c) { return stub_->DeclineRequest(c, decline, &out); });
  EXPECT_THAT(ViolatedFields(s), ElementsAre("reason"));
  decline.set_reason("这周出差");
  ASSERT_THAT(
      Call(MemberToken(residents_[2]), [&](grpc::ClientContext* c) { return stub_->DeclineRequest(c, decline, &out); }),
      IsOk());
  EXPECT_EQ(out.state(), dv1::REQUEST_STATE_PENDING);
  EXPECT_EQ(out.assignee(), "");

  d.set_member(residents_[3]);
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->DispatchRequest(c, d, &out); }), IsOk());
  SetClock(31 * 60);  // the 30 minutes to answer pass
  ASSERT_TRUE(WaitFor(r.name(), dv1::REQUEST_STATE_PENDING));
  EXPECT_THAT(Timeline(r.name()), ElementsAre("submit", "dispatch", "decline", "dispatch", "timeout"));
  // The member who missed it can no longer accept.
  dv1::AcceptRequestRequest accept;
  accept.set_name(r.name());
  EXPECT_THAT(
      Call(MemberToken(residents_[3]), [&](grpc::ClientContext* c) { return stub_->AcceptRequest(c, accept, &out); }),
      HasCode(grpc::PERMISSION_DENIED));
}

TEST_F(DispatchTest, PastItsDeadlineARequestEscalatesUpTheTreeToTheStreet) {
  dv1::Request r;
  ASSERT_THAT(Submit(resident_, NewRequest("repair"), &r), IsOk());  // 4 hours
  SetClock(5 * 3600);
  for (int i = 0; i < 100 && Get(admin_, r.name()).escalation_level() < 1; ++i) absl::SleepFor(absl::Milliseconds(100));
  dv1::Request once = Get(admin_, r.name());
  EXPECT_EQ(once.escalation_level(), 1);
  EXPECT_EQ(once.escalated_to(), branch_);
  // The level above sees it in its list.
  dv1::ListRequestsRequest list;
  list.set_parent(branch_);
  dv1::ListRequestsResponse listed;
  ASSERT_THAT(Call(key_->Token("branch-sec", {"secretary"}, branch_),
                   [&](grpc::ClientContext* c) { return stub_->ListRequests(c, list, &listed); }),
              IsOk());
  EXPECT_GE(listed.requests_size(), 1);
  SetClock(10 * 3600);
  for (int i = 0; i < 100 && Get(admin_, r.name()).escalation_level() < 2; ++i) absl::SleepFor(absl::Milliseconds(100));
  EXPECT_EQ(Get(admin_, r.name()).escalated_to(), community_);
  SetClock(15 * 3600);
  for (int i = 0; i < 100 && Get(admin_, r.name()).escalation_level() < 3; ++i) absl::SleepFor(absl::Milliseconds(100));
  EXPECT_EQ(Get(admin_, r.name()).escalated_to(), street_);
  SetClock(40 * 3600);
  absl::SleepFor(absl::Milliseconds(500));
  EXPECT_EQ(Get(admin_, r.name()).escalation_level(), 3);  // the street is as far as it goes
  EXPECT_THAT(Timeline(r.name()), ElementsAre("submit", "escalate", "escalate", "escalate"));
}

TEST_F(DispatchTest, HandOffResolveReopenWithinTheDaysAllowed) {
  dv1::Request r, out;
  ASSERT_THAT(Submit(resident_, NewRequest(), &r), IsOk());
  dv1::DispatchRequestRequest d;
  d.set_name(r.name());
  d.set_member(residents_[0]);
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->DispatchRequest(c, d, &out); }), IsOk());
  std::string member = MemberToken(residents_[0]);
  dv1::AcceptRequestRequest accept;
  accept.set_name(r.name());
  ASSERT_THAT(Call(member, [&](grpc::ClientContext* c) { return stub_->AcceptRequest(c, accept, &out); }), IsOk());
  dv1::HandOffRequestRequest hand;
  hand.set_name(r.name());
  hand.set_department("金山物业公司");
  hand.set_department_reference("WY-2026-118");
  ASSERT_THAT(Call(member, [&](grpc::ClientContext* c) { return stub_->HandOffRequest(c, hand, &out); }), IsOk());
  EXPECT_EQ(out.state(), dv1::REQUEST_STATE_HANDED_OFF);
  EXPECT_EQ(out.department_reference(), "WY-2026-118");
  dv1::ResolveRequestRequest resolve;
  resolve.set_name(r.name());
  resolve.set_resolution("物业已修复");
  ASSERT_THAT(Call(member, [&](grpc::ClientContext* c) { return stub_->ResolveRequest(c, resolve, &out); }), IsOk());
  dv1::ReopenRequestRequest reopen;
  reopen.set_name(r.name());
  reopen.set_reason("灯又坏了");
  ASSERT_THAT(Call(resident_, [&](grpc::ClientContext* c) { return stub_->ReopenRequest(c, reopen, &out); }), IsOk());
  EXPECT_EQ(out.state(), dv1::REQUEST_STATE_IN_PROGRESS);
  ASSERT_THAT(Call(member, [&](grpc::ClientContext* c) { return stub_->ResolveRequest(c, resolve, &out); }), IsOk());
  SetClock(8 * 86400);  // past the 7 days
  std::string before = WrittenFor(r.name());
  grpc::Status s = Call(resident_, [&](grpc::ClientContext* c) { return stub_->ReopenRequest(c, reopen, &out); });
  EXPECT_THAT(s, HasCode(grpc::FAILED_PRECONDITION));
  EXPECT_EQ(ErrorReason(s), "REOPEN_TOO_LATE");
  EXPECT_EQ(WrittenFor(r.name()), before);
}

TEST_F(DispatchTest, CategoriesAndTheCalendarAreDataForOperators) {
  dv1::SetCalendarDaysRequest cal;
  cal.set_parent(district_);
  auto* holiday = cal.add_days();
  holiday->set_date("2026-10-01");
  holiday->set_kind(dv1::DAY_KIND_HOLIDAY);
  holiday->set_label("国庆节");
  auto* makeup = cal.add_days();
  makeup->set_date("2026-10-10");
  makeup->set_kind(dv1::DAY_KIND_WORKDAY);
  dv1::SetCalendarDaysResponse set;
  EXPECT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->SetCalendarDays(c, cal, &set); }),
              HasCode(grpc::PERMISSION_DENIED));
  // An operator of a street is not one of the district; the district's own
  // operators (a token scoped to the district, not the platform) are.
  std::string street_operator = key_->Token("op-street", {"operator"}, street_);
  EXPECT_THAT(Call(street_operator, [&](grpc::ClientContext* c) { return stub_->SetCalendarDays(c, cal, &set); }),
              HasCode(grpc::PERMISSION_DENIED));
  std::string district_operator = key_->Token("op-district", {"operator"}, district_);
  ASSERT_THAT(Call(district_operator, [&](grpc::ClientContext* c) { return stub_->SetCalendarDays(c, cal, &set); }),
              IsOk());
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->SetCalendarDays(c, cal, &set); }), IsOk());
  dv1::ListCalendarDaysRequest list;
  list.set_parent(district_);
  list.set_year(2026);
  dv1::ListCalendarDaysResponse days;
  ASSERT_THAT(Call(resident_, [&](grpc::ClientContext* c) { return stub_->ListCalendarDays(c, list, &days); }), IsOk());
  ASSERT_EQ(days.days_size(), 2);
  EXPECT_EQ(days.days(0).label(), "国庆节");
  cal.clear_days();

  // A request submitted on 30 September (the service's clock moved there) in a
  // category of 2 working days is due at the end of 9 October: the golden
  // week does not count.
  for (int d = 2; d <= 7; ++d) {
    auto* h = cal.add_days();
    h->set_date(absl::StrCat("2026-10-0", d));
    h->set_kind(dv1::DAY_KIND_HOLIDAY);
  }
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->SetCalendarDays(c, cal, &set); }), IsOk());
  absl::TimeZone beijing = absl::FixedTimeZone(8 * 3600);
  absl::Time then = absl::FromCivil(absl::CivilSecond(2026, 9, 30, 10, 0, 0), beijing);
  SetClock(absl::ToUnixSeconds(then) - absl::ToUnixSeconds(absl::Now()));
  dv1::Request policy;
  ASSERT_THAT(Submit(resident_, NewRequest("policy"), &policy), IsOk());
  EXPECT_EQ(absl::FromUnixSeconds(policy.due_time().seconds()),
            absl::FromCivil(absl::CivilSecond(2026, 10, 10, 0, 0, 0), beijing));
  SetClock(0);

  dv1::CreateCategoryRequest bad;
  bad.set_parent(district_);
  bad.set_category_id("Noise!");
  bad.mutable_category()->set_display_name("噪音");
  bad.mutable_category()->set_limit_hours(4);
  bad.mutable_category()->set_limit_working_days(1);
  dv1::Category out;
  grpc::Status s = Call(admin_, [&](grpc::ClientContext* c) { return stub_->CreateCategory(c, bad, &out); });
  EXPECT_THAT(ViolatedFields(s), ElementsAre("category_id", "category.limit_hours"));
  dv1::UpdateCategoryRequest upd;
  upd.mutable_category()->set_name(district_ + "/categories/repair");
  upd.mutable_category()->set_grabbable(true);
  upd.mutable_update_mask()->add_paths("grabbable");
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->UpdateCategory(c, upd, &out); }), IsOk());
  EXPECT_TRUE(out.grabbable());
  dv1::ListCategoriesRequest cats;
  cats.set_parent(district_);
  dv1::ListCategoriesResponse all;
  ASSERT_THAT(Call(resident_, [&](grpc::ClientContext* c) { return stub_->ListCategories(c, cats, &all); }), IsOk());
  EXPECT_EQ(all.categories_size(), 2);
}

}  // namespace
}  // namespace lianxin::testing
