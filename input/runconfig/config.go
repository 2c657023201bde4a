// Package runconfig reads a hedgeflow run configuration file: scenario
// hyperparameter ranges and sampling, the simulation's steps, horizons and
// dynamics, and the funding threshold (see examples/run-config.yaml, which
// lists every key with its default).
package runconfig

import (
	"fmt"
	"math"
	"os"
	"strings"

	"github.com/hedgeflow/hedgeflow/input"
	"github.com/hedgeflow/hedgeflow/pricing/market"
	"github.com/hedgeflow/hedgeflow/pricing/scenario"
	"github.com/hedgeflow/hedgeflow/pricing/sim"
)

// Config is a run configuration file: the scenario hyperparameter ranges,
// the simulation's steps, horizons and dynamics, and the funding threshold.
// Anything left out keeps its documented default.
type Config struct {
	Scenario  scenario.Settings
	Sim       sim.Config // Paths is set by the run, not the file
	Threshold float64    // 0: the run's default
}

type configFile struct {
	Scenarios  *scenarioFile   `yaml:"scenarios"`
	Simulation *simulationFile `yaml:"simulation"`
	Risk       *struct {
		FundingThreshold *float64 `yaml:"funding_threshold"`
	} `yaml:"risk"`
}

type scenarioFile struct {
	FXVol         []float64          `yaml:"fx_vol"`
	IRVolBps      []float64          `yaml:"ir_vol_bps"`
	ShortRateMult []float64          `yaml:"short_rate_mult"`
	CreditVol     []float64          `yaml:"credit_vol"`
	EquityVol     []float64          `yaml:"equity_vol"`
	RegimeProbs   map[string]float64 `yaml:"regime_probs"`
	BreakdownProb *float64           `yaml:"breakdown_prob"`
	Sampling      string             `yaml:"sampling"`
}

type simulationFile struct {
	StepDays          int           `yaml:"step_days"`
	HedgePaths        int           `yaml:"hedge_paths"`
	HorizonsDays      []int         `yaml:"horizons_days"`
	EquityRiskPremium *float64      `yaml:"equity_risk_premium"`
	Dynamics          *dynamicsFile `yaml:"dynamics"`
}

type dynamicsFile struct {
	Clustering      *bool                `yaml:"clustering"`
	Leverage        *bool                `yaml:"leverage"`
	MeanReversion   *bool                `yaml:"mean_reversion"`
	RegimeSwitching *bool                `yaml:"regime_switching"`
	Jumps           *bool                `yaml:"jumps"`
	Defaults        *bool                `yaml:"defaults"`
	GARCHAlpha      *float64             `yaml:"garch_alpha"`
	GARCHBeta       *float64             `yaml:"garch_beta"`
	LeverageGamma   *float64             `yaml:"leverage_gamma"`
	RateKappa       *float64             `yaml:"rate_kappa"`
	SpreadKappa     *float64             `yaml:"spread_kappa"`
	Transition      map[string][]float64 `yaml:"transition_weekly"`
	JumpIntensity   map[string]float64   `yaml:"jump_intensity"`
	JumpMean        *float64             `yaml:"jump_mean"`
	JumpStd         *float64             `yaml:"jump_std"`
	PD              map[string]float64   `yaml:"pd"`
	AssetCorr       *float64             `yaml:"asset_corr"`
	Recovery        *float64             `yaml:"recovery"`
}

// Read reads and validates a run configuration file.
func Read(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// setNum stores a file value that may legitimately be zero: the settings
// structs read 0 as "default", so an explicit zero becomes a negative
// number, which they read as zero.
func setNum(dst *float64, v *float64) {
	if v == nil {
		return
	}
	if *v == 0 {
		*dst = -1
		return
	}
	*dst = *v
}

// Parse parses and validates run configuration YAML. An empty
// document is the all-defaults configuration.
func Parse(file string, data []byte) (*Config, error) {
	c := &Config{}
	if strings.TrimSpace(string(data)) == "" {
		return c, nil
	}
	var f configFile
	root, err := input.DecodeStrict(file, data, &f)
	if err != nil {
		return nil, err
	}
	fail := func(path string, format string, a ...any) error {
		return input.FieldError(file, root, path, fmt.Errorf(format, a...))
	}
	if s := f.Scenarios; s != nil {
		for _, r := range []struct {
			name string
			v    []float64
			dst  *scenario.Range
		}{{"fx_vol", s.FXVol, &c.Scenario.FXVol}, {"ir_vol_bps", s.IRVolBps, &c.Scenario.IRVolBps},
			{"short_rate_mult", s.ShortRateMult, &c.Scenario.ShortRateMult}, {"credit_vol", s.CreditVol, &c.Scenario.CreditVol},
			{"equity_vol", s.EquityVol, &c.Scenario.EquityVol}} {
			if r.v == nil {
				continue
			}
			if len(r.v) != 2 {
				return nil, fail("scenarios."+r.name, "must be [low, high], got %d numbers", len(r.v))
			}
			*r.dst = scenario.Range{Lo: r.v[0], Hi: r.v[1]}
		}
		if s.RegimeProbs != nil {
			for name, p := range s.RegimeProbs {
				rg, err := scenario.ParseRegime(name)
				if err != nil {
					return nil, fail("scenarios.regime_probs."+name, "unknown regime %q (normal, stress, crisis)", name)
				}
				c.Scenario.RegimeProbs[rg] = p
			}
		}
		setNum(&c.Scenario.BreakdownProb, s.BreakdownProb)
		c.Scenario.Sampling = s.Sampling
		if _, err := scenario.Generate(1, 0, &c.Scenario); err != nil {
			msg := strings.TrimPrefix(err.Error(), scenario.ErrInvalid.Error()+": ")
			if field, rest, ok := strings.Cut(msg, ": "); ok && !strings.ContainsAny(field, " [") {
				return nil, fail("scenarios."+field, "%s", rest)
			}
			return nil, fail("scenarios", "%s", msg)
		}
	}
	if s := f.Simulation; s != nil {
		c.Sim.StepDays = s.StepDays
		if s.HedgePaths < 0 || s.HedgePaths > sim.MaxPaths {
			return nil, fail("simulation.hedge_paths", "must be in [1, %d], got %d", sim.MaxPaths, s.HedgePaths)
		}
		c.Sim.HedgePaths = s.HedgePaths
		c.Sim.HorizonDays = s.HorizonsDays
		if s.EquityRiskPremium != nil {
			c.Sim.EquityRiskPremium = *s.EquityRiskPremium
			if *s.EquityRiskPremium == 0 {
				c.Sim.EquityRiskPremium = math.NaN()
			}
		}
		if d := s.Dynamics; d != nil {
			dy := &c.Sim.Dynamics
			off := func(b *bool) bool { return b != nil && !*b }
			dy.NoClustering, dy.NoLeverage, dy.NoMeanReversion = off(d.Clustering), off(d.Leverage), off(d.MeanReversion)
			dy.NoRegimeSwitching, dy.NoJumps, dy.NoDefaults = off(d.RegimeSwitching), off(d.Jumps), off(d.Defaults)
			setNum(&dy.GARCHAlpha, d.GARCHAlpha)
			setNum(&dy.GARCHBeta, d.GARCHBeta)
			setNum(&dy.LeverageGamma, d.LeverageGamma)
			setNum(&dy.RateKappa, d.RateKappa)
			setNum(&dy.SpreadKappa, d.SpreadKappa)
			setNum(&dy.JumpMean, d.JumpMean)
			setNum(&dy.JumpStd, d.JumpStd)
			setNum(&dy.AssetCorr, d.AssetCorr)
			setNum(&dy.Recovery, d.Recovery)
			for name, row := range d.Transition {
				rg, err := scenario.ParseRegime(name)
				if err != nil {
					return nil, fail("simulation.dynamics.transition_weekly."+name, "unknown regime %q", name)
				}
				if len(row) != int(scenario.NumRegime) {
					return nil, fail("simulation.dynamics.transition_weekly."+name, "must list 3 probabilities (to normal, stress, crisis)")
				}
				copy(dy.Transition[rg][:], row)
			}
			for name, v := range d.JumpIntensity {
				rg, err := scenario.ParseRegime(name)
				if err != nil {
					return nil, fail("simulation.dynamics.jump_intensity."+name, "unknown regime %q", name)
				}
				vv := v
				setNum(&dy.JumpIntensity[rg], &vv)
			}
			for name, v := range d.PD {
				r, err := market.ParseRating(name)
				if err != nil {
					return nil, fail("simulation.dynamics.pd."+name, "unknown rating %q", name)
				}
				vv := v
				setNum(&dy.PD[r], &vv)
			}
		}
		// Validate through the simulation's own rules.
		probe := c.Sim
		probe.Paths = 1
		if err := sim.ValidateConfig(probe); err != nil {
			return nil, fail("simulation", "%s", strings.TrimPrefix(err.Error(), sim.ErrInvalid.Error()+": "))
		}
	}
	if f.Risk != nil && f.Risk.FundingThreshold != nil {
		th := *f.Risk.FundingThreshold
		if !(th > 0 && th < 10) {
			return nil, fail("risk.funding_threshold", "must be in (0, 10), got %v", th)
		}
		c.Threshold = th
	}
	return c, nil
}
