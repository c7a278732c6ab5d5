// The one translation unit that compiles Boost.URL (header-only mode). No other .cc in the
// caseledger_app library may include <boost/url/src.hpp>.
#include <boost/url/src.hpp>
