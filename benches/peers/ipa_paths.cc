// GameTracer's ipa (pygambit 16.7's own source, built by ipa_paths.py) on one .nfg file, as
// pygambit's ipa_solve runs it: payoffs shifted so the least is 0, Gambit's default perturbation
// (1 on each player's first strategy) normalised, zh = 1, runs of 100 iterations until one
// converges. Prints the number of iterations (the lines of IPA's verbose trace) and runs, or
// "no convergence" after MAX_RUNS runs (patron's limit). Reads the payoff form of .nfg only:
//   ipa_paths FILE.nfg
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "solvers/gtracer/cmatrix.h"
#include "solvers/gtracer/nfgame.h"

namespace Gambit::gametracer {
int IPA(const gnmgame &A, const cvector &g, cvector &zh, double alpha, double fuzz, cvector &ans,
        unsigned int maxiter, bool p_verbose);
}
using namespace Gambit::gametracer;

static const int MAX_RUNS = 100;

int main(int argc, char **argv)
{
  if (argc != 2) {
    std::cerr << "usage: ipa_paths FILE.nfg\n";
    return 2;
  }
  std::ifstream file(argv[1]);
  std::stringstream whole;
  whole << file.rdbuf();
  const std::string text = whole.str();
  // NFG 1 R "title" { "players" } { counts } payoffs...
  const size_t players_open = text.find('{'), players_close = text.find('}', players_open);
  const size_t counts_open = text.find('{', players_close);
  const size_t counts_close = text.find('}', counts_open);
  if (counts_close == std::string::npos) {
    std::cerr << argv[1] << ": not a payoff-form .nfg header\n";
    return 2;
  }
  std::vector<int> counts;
  std::stringstream header(text.substr(counts_open + 1, counts_close - counts_open - 1));
  for (int c; header >> c;) {
    counts.push_back(c);
  }
  std::vector<double> payoffs;
  std::stringstream body(text.substr(counts_close + 1));
  for (double x; body >> x;) {
    payoffs.push_back(x);
  }
  const int players = counts.size();
  size_t cells = players;
  for (int c : counts) {
    cells *= c;
  }
  if (payoffs.size() != cells) {
    std::cerr << argv[1] << ": expected " << cells << " payoffs, read " << payoffs.size() << "\n";
    return 2;
  }
  const double least = *std::min_element(payoffs.begin(), payoffs.end());
  nfgame game(counts);
  std::vector<int> profile(players, 0);
  size_t next = 0;
  for (bool more = true; more;) {
    for (int p = 0; p < players; p++) {
      game.setPurePayoff(p, profile, payoffs[next++] - least);
    }
    int p = 0;
    while (p < players && ++profile[p] == counts[p]) {
      profile[p++] = 0;
    }
    more = p < players;
  }
  const int total = game.getNumActions();
  cvector g(total, 0.0), zh(total, 1.0), answer(total);
  for (int p = 0; p < players; p++) {
    g[game.firstAction(p)] = 1.0;
  }
  g /= g.norm();
  // IPA's verbose trace goes to std::cerr, one line per iteration: count them.
  std::stringstream trace;
  std::streambuf *saved = std::cerr.rdbuf(trace.rdbuf());
  int runs = 0;
  bool converged = false;
  while (runs < MAX_RUNS && !converged) {
    converged = IPA(game, g, zh, 0.2, 1e-6, answer, 100, true);
    runs++;
  }
  std::cerr.rdbuf(saved);
  int iterations = 0;
  for (std::string line; std::getline(trace, line);) {
    iterations += line.rfind("iter ", 0) == 0;
  }
  if (!converged) {
    std::printf("no convergence after %d iterations\n", iterations);
    return 1;
  }
  std::printf("iterations %d runs %d\n", iterations, runs);
  return 0;
}
