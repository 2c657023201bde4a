package main

import (
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/hedgeflow/hedgeflow/run"
	"github.com/nats-io/nats.go"
)

// passwordEnv is where --nats-password is read from when the flag is not
// given: a password on the command line is visible to every user of the
// machine (ps), one in the environment is not.
const passwordEnv = "HEDGEFLOW_NATS_PASSWORD"

// natsFlags are the flags of every command that connects to an external
// NATS server: authentication, TLS, and the replica count of the streams
// the command creates if they do not exist yet.
type natsFlags struct {
	user, password  string
	nkey, creds     string
	tlsCA           string
	tlsCert, tlsKey string
	replicas        int
	token           string // from a nats://TOKEN@host URL
}

// addNATSFlags registers the NATS connection flags on fs.
func addNATSFlags(fs *flag.FlagSet) *natsFlags {
	f := &natsFlags{}
	fs.StringVar(&f.user, "nats-user", "", "NATS user `NAME` (with --nats-password)")
	fs.StringVar(&f.password, "nats-password", "", "NATS `PASSWORD`; prefer the environment variable "+passwordEnv+", which is read when this flag is not given")
	fs.StringVar(&f.nkey, "nkey", "", "NKey seed `FILE` to authenticate with")
	fs.StringVar(&f.creds, "creds", "", "NATS credentials `FILE` (user JWT and NKey seed, as made by nsc)")
	fs.StringVar(&f.tlsCA, "tls-ca", "", "CA certificate `FILE` (PEM) that signed the server's certificate; implies TLS")
	fs.StringVar(&f.tlsCert, "tls-cert", "", "client certificate `FILE` (PEM) for mutual TLS, with --tls-key")
	fs.StringVar(&f.tlsKey, "tls-key", "", "client private key `FILE` (PEM), with --tls-cert")
	fs.IntVar(&f.replicas, "replicas", 0, "replicas of the streams and buckets when this command creates them (3 on a cluster; default: keep existing ones, 1 for new)")
	return f
}

// set reports whether any authentication or TLS flag was given.
func (f *natsFlags) set() bool {
	return f.user != "" || f.password != "" || f.nkey != "" || f.creds != "" || f.tlsCA != "" || f.tlsCert != "" || f.tlsKey != ""
}

// options converts the flags to connection options for the server at
// natsURL, checking that they make sense together and that the files they
// name can be read, so that a mistake is reported by flag name rather than
// as a failed handshake. The password is read from $HEDGEFLOW_NATS_PASSWORD
// if the flag is empty. Credentials written in the URL
// (nats://user:pass@host, nats://token@host) move into options, and the
// URL returned has none: it can be logged and put in errors.
func (f *natsFlags) options(natsURL string) (string, []nats.Option, error) {
	if f.replicas < 0 || f.replicas > 5 {
		return "", nil, usageErrorf("--replicas: must be 1 to 5, got %d", f.replicas)
	}
	if natsURL == "" {
		if f.set() {
			return "", nil, usageErrorf("NATS authentication and TLS flags need --nats URL (the embedded server has no authentication)")
		}
		return "", nil, nil
	}
	clean, urlUser, urlPass, hasPass, err := splitURLUser(natsURL)
	if err != nil {
		return "", nil, err
	}
	if f.password == "" {
		f.password = os.Getenv(passwordEnv)
	}
	if urlUser != "" && f.user == "" && f.nkey == "" && f.creds == "" {
		if hasPass {
			f.user = urlUser
			if f.password == "" {
				f.password = urlPass
			}
		} else if f.password == "" {
			f.token = urlUser
		}
	}
	opts, err := f.build()
	return clean, opts, err
}

func (f *natsFlags) build() ([]nats.Option, error) {
	methods := 0
	for _, on := range []bool{f.user != "", f.nkey != "", f.creds != ""} {
		if on {
			methods++
		}
	}
	switch {
	case methods > 1:
		return nil, usageErrorf("--nats-user, --nkey and --creds are alternatives: give one")
	case f.user == "" && f.password != "":
		return nil, usageErrorf("a NATS password (--nats-password or $%s) needs --nats-user", passwordEnv)
	case f.user != "" && f.password == "":
		return nil, usageErrorf("--nats-user needs a password: --nats-password or $%s", passwordEnv)
	case (f.tlsCert == "") != (f.tlsKey == ""):
		return nil, usageErrorf("--tls-cert and --tls-key go together")
	}
	for _, file := range []struct{ flag, path string }{
		{"nkey", f.nkey}, {"creds", f.creds}, {"tls-ca", f.tlsCA}, {"tls-cert", f.tlsCert}, {"tls-key", f.tlsKey},
	} {
		if file.path == "" {
			continue
		}
		// Open, not read: the contents are secrets and stay out of errors.
		fh, err := os.Open(file.path)
		if err != nil {
			return nil, fmt.Errorf("--%s: %w", file.flag, err)
		}
		fh.Close()
	}
	var opts []nats.Option
	if f.token != "" {
		opts = append(opts, nats.Token(f.token))
	}
	if f.user != "" {
		opts = append(opts, nats.UserInfo(f.user, f.password))
	}
	if f.nkey != "" {
		o, err := nats.NkeyOptionFromSeed(f.nkey)
		if err != nil {
			// nats.go names the file and the problem, not the seed.
			return nil, fmt.Errorf("--nkey: %w", err)
		}
		opts = append(opts, o)
	}
	if f.creds != "" {
		opts = append(opts, nats.UserCredentials(f.creds))
	}
	if f.tlsCA != "" {
		opts = append(opts, nats.RootCAs(f.tlsCA))
	}
	if f.tlsCert != "" {
		opts = append(opts, nats.ClientCert(f.tlsCert, f.tlsKey))
	}
	return opts, nil
}

// splitURLUser removes the user part from each of the comma-separated
// URLs and returns the first one found: a user and password, or a token
// (user without password).
func splitURLUser(urls string) (clean, user, password string, hasPassword bool, err error) {
	parts := strings.Split(urls, ",")
	for i, s := range parts {
		s = strings.TrimSpace(s)
		u, perr := url.Parse(s)
		if perr != nil && strings.Contains(s, "@") {
			// The text may hold a password: name the URL by position only.
			return "", "", "", false, usageErrorf("--nats: URL %d of %d cannot be parsed", i+1, len(parts))
		}
		if perr != nil || u.User == nil {
			parts[i] = s
			continue
		}
		if user == "" {
			user = u.User.Username()
			password, hasPassword = u.User.Password()
		}
		u.User = nil
		parts[i] = u.String()
	}
	return strings.Join(parts, ","), user, password, hasPassword, nil
}

// apply sets o's connection options and replica count from the flags and
// strips credentials from o.NATSURL.
func (f *natsFlags) apply(o *run.Options) error {
	u, opts, err := f.options(o.NATSURL)
	if err != nil {
		return err
	}
	o.NATSURL, o.NATSOpts, o.Topology.Replicas = u, append(o.NATSOpts, opts...), f.replicas
	return nil
}

// longLived returns the options of a process that stays connected (worker,
// serve, feed): its name, reconnecting forever, and connection events
// logged; opts (authentication, TLS) follow.
func longLived(name string, log *slog.Logger, opts []nats.Option) []nats.Option {
	return append([]nats.Option{
		nats.Name(name),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(time.Second),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				log.Warn("disconnected from NATS", "err", err)
			}
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) { log.Info("reconnected to NATS", "server", nc.ConnectedUrlRedacted()) }),
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) { log.Warn("NATS error", "err", err) }),
	}, opts...)
}
