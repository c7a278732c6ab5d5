#include "text_source.h"

#include <fmt/format.h>

#include <array>
#include <string_view>

namespace caseledger::app::bench {
namespace {

template <std::size_t N>
std::string_view Pick(Rng& rng, const std::array<std::string_view, N>& words) {
  return words[rng.Below(N)];
}

constexpr std::array<std::string_view, 16> kBehaviour = {"loud music",
                                                         "shouting and swearing",
                                                         "banging on the adjoining wall",
                                                         "youths gathering",
                                                         "a group drinking in the street",
                                                         "fly-tipping of household waste",
                                                         "verbal abuse",
                                                         "threats made to the caller",
                                                         "a dog barking for hours",
                                                         "eggs thrown at the windows",
                                                         "cars revving and racing",
                                                         "drug paraphernalia left behind",
                                                         "graffiti on the garden wall",
                                                         "fireworks set off in the street",
                                                         "bins set alight",
                                                         "intimidation on the stairwell"};
constexpr std::array<std::string_view, 12> kPlace = {"from the neighbouring flat",
                                                     "outside the caller's home",
                                                     "in the communal hallway",
                                                     "at the rear of the shops",
                                                     "on the play area",
                                                     "by the bus shelter",
                                                     "in the car park",
                                                     "on the footpath behind the houses",
                                                     "at the corner of the close",
                                                     "near the community centre",
                                                     "outside the takeaway",
                                                     "in the alleyway"};
constexpr std::array<std::string_view, 10> kWhen = {
    "late at night",      "most evenings this week", "since about 11pm",
    "over the weekend",   "again this afternoon",    "for the third night running",
    "in the early hours", "after school finishes",   "every evening for a month",
    "earlier today"};
constexpr std::array<std::string_view, 14> kDescriptionSentences = {
    "Caller reports {} {} {}.",
    "The caller says the problem has been going on {} and is affecting her sleep.",
    "Reporting party states {} {} and feels unable to go out.",
    "Caller is anxious and asked that her details are not shared with the neighbours.",
    "This is the latest of several reports about {} {}.",
    "Officers attended and spoke to the occupants, who denied {}.",
    "A neighbour also complained about {} {}.",
    "Caller believes she is being targeted and mentioned {}.",
    "Caller has recorded some of it on her phone and is willing to share the footage.",
    "Caller was advised to keep a diary sheet and to call again if it continues.",
    "The caller's elderly mother lives with her and is frightened by {}.",
    "CCTV in the area may have captured {} {}.",
    "Caller asked for a call back from the ASB team {}.",
    "No injuries reported; caller wants the behaviour to stop."};
constexpr std::array<std::string_view, 14> kNoteSentences = {
    "Spoke to the victim by phone {}; she reports {} {}.",
    "Visited the address with the housing officer and left a card.",
    "Diary sheets received and reviewed: entries mention {} {}.",
    "Checked police systems: two further calls logged about {}.",
    "Discussed at the weekly tasking meeting; agreed to continue monitoring.",
    "Letter sent to the alleged perpetrator explaining the complaints about {}.",
    "Victim says things have been quieter {} but {} started again.",
    "Referral made to victim support with consent.",
    "Noise monitoring equipment installed for two weeks.",
    "Supervisor reviewed the case and agreed the action plan.",
    "Partner agencies updated by email; no objections raised.",
    "Called the victim back as promised; no answer, voicemail left.",
    "Joint visit planned with the neighbourhood officer {}.",
    "Victim feels the situation has improved and is happy for the case to be reviewed."};
constexpr std::array<std::string_view, 8> kOutcomeSentences = {
    "Behaviour has stopped following the warning letter.",
    "Victim satisfied with the outcome and agrees to closure.",
    "No further reports for eight weeks.",
    "Perpetrator moved out of the area.",
    "Acceptable Behaviour Contract signed and complied with.",
    "Mediation resolved the dispute between the neighbours.",
    "Case reviewed with the supervisor; all actions complete.",
    "Victim advised to report any recurrence straight away."};
constexpr std::array<std::string_view, 6> kReasonSentences = {
    "New information received from the caller.",      "Classification corrected after review.",
    "Details updated following the officer's visit.", "Further incidents reported by the victim.",
    "Lead officer changed after a team restructure.", "Shared so the partner can assist."};
constexpr std::array<std::string_view, 12> kTaskTitles = {"Call the victim back",
                                                          "Visit the address",
                                                          "Send a warning letter",
                                                          "Review diary sheets",
                                                          "Check CCTV",
                                                          "Refer to victim support",
                                                          "Arrange mediation",
                                                          "Update partner agencies",
                                                          "Install noise monitoring",
                                                          "Book a joint visit",
                                                          "Risk review with supervisor",
                                                          "Write to the landlord"};
constexpr std::array<std::string_view, 40> kGiven = {
    "Amelia", "Oliver", "Priya",   "Mohammed", "Sophie",  "Jack",   "Aisha",   "Harry",
    "Emily",  "Ravi",   "Grace",   "Thomas",   "Chloe",   "Daniel", "Fatima",  "James",
    "Ella",   "Kieran", "Jessica", "Arjun",    "Hannah",  "Liam",   "Zara",    "Ryan",
    "Megan",  "Tyler",  "Sana",    "Connor",   "Lucy",    "Bilal",  "Rebecca", "Nathan",
    "Leah",   "Callum", "Olivia",  "Imran",    "Georgia", "Jordan", "Molly",   "Sam"};
constexpr std::array<std::string_view, 40> kFamily = {
    "Smith",    "Patel",    "Jones",  "Khan",    "Taylor",  "Brown",  "Mistry", "Wilson",
    "Evans",    "Shah",     "Thomas", "Roberts", "Johnson", "Walker", "Wright", "Hussain",
    "Robinson", "Thompson", "White",  "Hughes",  "Edwards", "Green",  "Hall",   "Wood",
    "Harris",   "Lewis",    "Martin", "Jackson", "Clarke",  "Clark",  "Turner", "Hill",
    "Scott",    "Cooper",   "Morris", "Ward",    "Moore",   "King",   "Watson", "Baker"};
constexpr std::array<std::string_view, 24> kStreets = {
    "Mill Lane",        "Church Street",  "Victoria Road",   "Station Road",    "The Green",
    "Park Avenue",      "Queens Road",    "High Street",     "Meadow Close",    "Orchard Way",
    "Kingfisher Drive", "Forest Road",    "Narborough Road", "Belgrave Gate",   "Ashby Road",
    "Granby Street",    "Elm Grove",      "Beech Drive",     "Nottingham Road", "Welford Road",
    "Hinckley Road",    "Spencer Street", "Kirby Road",      "Brook Street"};
constexpr std::array<std::string_view, 10> kVulnerabilities = {
    "mental health condition", "physical disability",      "older person living alone",
    "learning disability",     "previous victim of crime", "hearing impairment",
    "long-term illness",       "carer for a dependant",    "English not first language",
    "socially isolated"};
constexpr std::array<std::string_view, 12> kMakes = {
    "Ford",   "Vauxhall", "Volkswagen", "BMW",   "Audi",          "Toyota",
    "Nissan", "Peugeot",  "Kia",        "Honda", "Mercedes-Benz", "Renault"};
constexpr std::array<std::string_view, 10> kModels = {
    "Fiesta", "Corsa", "Golf", "3 Series", "A3", "Yaris", "Qashqai", "208", "Sportage", "Civic"};
constexpr std::array<std::string_view, 8> kColours = {"black", "white", "silver", "grey",
                                                      "blue",  "red",   "green",  "yellow"};
constexpr std::array<std::string_view, 6> kPersonalSub = {
    "neighbour dispute", "harassment",   "intimidation",
    "hate related",      "verbal abuse", "threatening behaviour"};
constexpr std::array<std::string_view, 6> kNuisanceSub = {
    "noise",        "youth nuisance", "drunken behaviour", "vehicle nuisance",
    "drug related", "animal nuisance"};
constexpr std::array<std::string_view, 5> kEnvironmentalSub = {
    "fly-tipping", "graffiti", "littering", "abandoned vehicle", "criminal damage"};

// Fills the {} holes of `pattern` with behaviour, place and time phrases, in that order.
std::string Fill(Rng& rng, std::string_view pattern) {
  std::string out;
  int hole = 0;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{' && i + 1 < pattern.size() && pattern[i + 1] == '}') {
      switch (hole++ % 3) {
        case 0:
          out += Pick(rng, kBehaviour);
          break;
        case 1:
          out += Pick(rng, kPlace);
          break;
        default:
          out += Pick(rng, kWhen);
          break;
      }
      ++i;
    } else {
      out.push_back(pattern[i]);
    }
  }
  return out;
}

std::string Sentence(Rng& rng, ProseKind kind) {
  switch (kind) {
    case ProseKind::kIncidentDescription:
    case ProseKind::kCaseSummary:
      return Fill(rng, Pick(rng, kDescriptionSentences));
    case ProseKind::kNote:
    case ProseKind::kActionDetails:
      return Fill(rng, Pick(rng, kNoteSentences));
    case ProseKind::kOutcome:
      return std::string(Pick(rng, kOutcomeSentences));
    case ProseKind::kReason:
      return std::string(Pick(rng, kReasonSentences));
  }
  return {};
}

}  // namespace

std::string Prose(Rng& rng, ProseKind kind, std::uint32_t bytes) {
  std::string out;
  out.reserve(bytes + 200);
  while (out.size() < bytes) {
    if (!out.empty()) out += rng.Chance(0.15) ? "\n\n" : " ";
    out += Sentence(rng, kind);
  }
  out.resize(bytes);
  // End on a full stop rather than half a word or a dangling space.
  if (bytes > 1 && out.back() == ' ') out.back() = '.';
  if (bytes > 2 && out[bytes - 2] == '\n') out[bytes - 2] = '.';
  if (bytes > 1 && out.back() == '\n') out.back() = '.';
  return out;
}

std::string Reason(Rng& rng) { return std::string(Pick(rng, kReasonSentences)); }

std::string CaseTitle(Rng& rng, schema::Category category) {
  return fmt::format("{} {}", SubCategory(rng, category), Pick(rng, kPlace));
}

std::string TaskTitle(Rng& rng) { return std::string(Pick(rng, kTaskTitles)); }

std::string SubCategory(Rng& rng, schema::Category category) {
  switch (category) {
    case schema::Category::Personal:
      return std::string(Pick(rng, kPersonalSub));
    case schema::Category::Environmental:
      return std::string(Pick(rng, kEnvironmentalSub));
    default:
      return std::string(Pick(rng, kNuisanceSub));
  }
}

ledger::PersonDetailsInput PersonDetails(Rng& rng, PersonRole role, const Area& area,
                                         std::uint64_t house_number_seed) {
  ledger::PersonDetailsInput d;
  d.names.push_back({std::string(Pick(rng, kGiven)), std::string(Pick(rng, kFamily))});
  if (rng.Chance(0.08)) {
    d.names.push_back({d.names[0].given, std::string(Pick(rng, kFamily))});  // an earlier name
  }
  if (role == PersonRole::kPerpetrator && rng.Chance(0.2)) {
    d.aliases.push_back(fmt::format("{}{}", Pick(rng, kGiven), rng.Between(1, 99)));
  }
  int age = role == PersonRole::kPerpetrator ? static_cast<int>(rng.Between(14, 55))
                                             : static_cast<int>(rng.Between(18, 90));
  if (!(role == PersonRole::kWitness && rng.Chance(0.5))) {
    d.date_of_birth =
        fmt::format("{:04}-{:02}-{:02}", 2025 - age, rng.Between(1, 12), rng.Between(1, 28));
  }
  if (role != PersonRole::kPerpetrator || rng.Chance(0.3)) {
    d.phone = fmt::format("07{:03} {:06}", rng.Between(100, 999), rng.Between(0, 999'999));
  }
  if (rng.Chance(0.3)) {
    d.email = fmt::format("{}.{}{}@example.org", d.names[0].given, d.names[0].family,
                          rng.Between(1, 999));
  }
  d.address_text = fmt::format("{} {}, {} {}", 1 + house_number_seed % 180, Pick(rng, kStreets),
                               area.town, area.postcode_district);
  if (role == PersonRole::kVictim && rng.Chance(0.25)) {
    d.vulnerabilities.emplace_back(Pick(rng, kVulnerabilities));
    if (rng.Chance(0.3)) d.vulnerabilities.emplace_back(Pick(rng, kVulnerabilities));
  }
  return d;
}

ledger::RecordAddress Address(Rng& rng, const Area& area, std::uint64_t uprn) {
  ledger::RecordAddress a;
  a.uprn = uprn;
  std::string flat = rng.Chance(0.25) ? fmt::format("Flat {}, ", rng.Between(1, 40)) : "";
  a.text = fmt::format("{}{} {}, {}", flat, rng.Between(1, 220), Pick(rng, kStreets), area.town);
  constexpr std::string_view kLetters = "ABDEFGHJLNPQRSTUWXYZ";
  a.postcode =
      fmt::format("{} {}{}{}", area.postcode_district, rng.Between(1, 9),
                  kLetters[rng.Below(kLetters.size())], kLetters[rng.Below(kLetters.size())]);
  if (rng.Chance(0.9)) {
    a.coordinates = ledger::Coordinates{52.4 + rng.Unit() * 0.5, -1.6 + rng.Unit() * 1.0};
  }
  return a;
}

ledger::RecordVehicle Vehicle(Rng& rng) {
  constexpr std::string_view kLetters = "ABCDEFGHJKLMNOPRSTUVWXYZ";
  auto letter = [&] { return kLetters[rng.Below(kLetters.size())]; };
  ledger::RecordVehicle v;
  v.registration = fmt::format("{}{}{:02} {}{}{}", letter(), letter(), rng.Between(10, 74),
                               letter(), letter(), letter());
  v.make = std::string(Pick(rng, kMakes));
  v.model = std::string(Pick(rng, kModels));
  v.colour = std::string(Pick(rng, kColours));
  return v;
}

}  // namespace caseledger::app::bench
