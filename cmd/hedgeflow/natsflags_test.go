package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/jwt/v2"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nkeys"
)

// authServer starts a real nats-server with JetStream on a loopback port,
// configured by mod (users, nkeys, TLS, operator).
func authServer(t *testing.T, mod func(*server.Options)) *server.Server {
	t.Helper()
	opts := &server.Options{
		ServerName: "auth-test", Host: "127.0.0.1", Port: -1, JetStream: true, StoreDir: t.TempDir(),
		JetStreamMaxMemory: 64 << 20, JetStreamMaxStore: 1 << 30, NoSigs: true, NoLog: true,
	}
	mod(opts)
	ns, err := server.NewServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("server not ready")
	}
	t.Cleanup(func() { ns.Shutdown(); ns.WaitForShutdown() })
	return ns
}

// runInProcess runs "hedgeflow run" with a small run and the given extra
// arguments through realMain, and returns its exit code, output and the
// report's text.
func runInProcess(t *testing.T, args ...string) (code int, output, reportJSON string) {
	t.Helper()
	out := t.TempDir()
	var o, e bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	all := append([]string{"run", "--scenarios", "6", "--paths", "20", "--partition-size", "3", "--workers", "1", "--no-hedging", "-v", "--out", out}, args...)
	code = realMain(ctx, all, strings.NewReader(""), &o, &e)
	b, _ := os.ReadFile(filepath.Join(out, "report.json"))
	return code, o.String() + e.String(), string(b)
}

// noSecret fails if any secret appears in the texts.
func noSecret(t *testing.T, secrets []string, texts ...string) {
	t.Helper()
	for _, s := range secrets {
		for _, x := range texts {
			if s != "" && strings.Contains(x, s) {
				t.Errorf("a secret (%.4s...) appears in output or report:\n%s", s, x)
			}
		}
	}
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRunUserPassword(t *testing.T) {
	const password = "Pw-7c1e0f6a-never-logged"
	ns := authServer(t, func(o *server.Options) {
		o.Users = []*server.User{{Username: "hedge", Password: password}}
	})
	url := ns.ClientURL()

	t.Setenv(passwordEnv, password)
	code, out, rep := runInProcess(t, "--nats", url, "--nats-user", "hedge")
	if code != 0 || !strings.Contains(rep, `"scenario_metrics"`) {
		t.Fatalf("with the password from $%s: exit %d\n%s", passwordEnv, code, out)
	}
	noSecret(t, []string{password}, out, rep)

	// The password in the URL works too, and is kept out of errors.
	t.Setenv(passwordEnv, "")
	code, out, _ = runInProcess(t, "--nats", strings.Replace(url, "nats://", "nats://hedge:"+password+"@", 1))
	if code != 0 {
		t.Fatalf("with the password in the URL: exit %d\n%s", code, out)
	}
	noSecret(t, []string{password}, out)

	wrong := "Wrong-" + password
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"no credentials", []string{"--nats", url}, "Authorization Violation"},
		{"wrong password", []string{"--nats", url, "--nats-user", "hedge", "--nats-password", wrong}, "Authorization Violation"},
		{"wrong password in URL", []string{"--nats", strings.Replace(url, "nats://", "nats://hedge:"+wrong+"@", 1)}, "Authorization Violation"},
		{"user without password", []string{"--nats", url, "--nats-user", "hedge"}, "--nats-user needs a password"},
		{"auth without --nats", []string{"--nats-user", "hedge", "--nats-password", wrong}, "need --nats URL"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, _ := runInProcess(t, c.args...)
			if code == 0 || !strings.Contains(out, c.want) {
				t.Errorf("exit %d, want failure with %q:\n%s", code, c.want, out)
			}
			noSecret(t, []string{password, wrong}, out)
		})
	}
}

func TestRunNKey(t *testing.T) {
	kp, err := nkeys.CreateUser()
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := kp.PublicKey()
	seed, _ := kp.Seed()
	ns := authServer(t, func(o *server.Options) { o.Nkeys = []*server.NkeyUser{{Nkey: pub}} })
	seedFile := writeFile(t, "user.nk", seed)

	code, out, rep := runInProcess(t, "--nats", ns.ClientURL(), "--nkey", seedFile)
	if code != 0 || !strings.Contains(rep, `"scenario_metrics"`) {
		t.Fatalf("with the nkey: exit %d\n%s", code, out)
	}
	noSecret(t, []string{string(seed)}, out, rep)

	other, _ := nkeys.CreateUser()
	otherSeed, _ := other.Seed()
	code, out, _ = runInProcess(t, "--nats", ns.ClientURL(), "--nkey", writeFile(t, "other.nk", otherSeed))
	if code == 0 || !strings.Contains(out, "Authorization Violation") {
		t.Errorf("with an unknown nkey: exit %d\n%s", code, out)
	}
	code, out, _ = runInProcess(t, "--nats", ns.ClientURL(), "--nkey", filepath.Join(t.TempDir(), "missing.nk"))
	if code == 0 || !strings.Contains(out, "--nkey: open") {
		t.Errorf("with a missing nkey file: exit %d\n%s", code, out)
	}
	noSecret(t, []string{string(seed), string(otherSeed)}, out)
}

// --creds: a user JWT signed by an account trusted through an operator,
// the way nsc sets up a production cluster.
func TestRunCreds(t *testing.T) {
	okp, _ := nkeys.CreateOperator()
	opub, _ := okp.PublicKey()
	oc := jwt.NewOperatorClaims(opub)
	oc.Name = "hedgeflow-op"
	sysKP, _ := nkeys.CreateAccount()
	sysPub, _ := sysKP.PublicKey()
	oc.SystemAccount = sysPub
	ojwt, err := oc.Encode(okp)
	if err != nil {
		t.Fatal(err)
	}
	opClaims, err := jwt.DecodeOperatorClaims(ojwt)
	if err != nil {
		t.Fatal(err)
	}
	akp, _ := nkeys.CreateAccount()
	apub, _ := akp.PublicKey()
	ac := jwt.NewAccountClaims(apub)
	ac.Name = "HEDGE"
	ac.Limits.JetStreamLimits = jwt.JetStreamLimits{MemoryStorage: -1, DiskStorage: -1, Streams: -1, Consumer: -1}
	ajwt, err := ac.Encode(okp)
	if err != nil {
		t.Fatal(err)
	}
	sc := jwt.NewAccountClaims(sysPub)
	sc.Name = "SYS"
	sjwt, _ := sc.Encode(okp)
	ukp, _ := nkeys.CreateUser()
	upub, _ := ukp.PublicKey()
	uc := jwt.NewUserClaims(upub)
	uc.IssuerAccount = apub
	ujwt, err := uc.Encode(akp)
	if err != nil {
		t.Fatal(err)
	}
	useed, _ := ukp.Seed()
	creds, err := jwt.FormatUserConfig(ujwt, useed)
	if err != nil {
		t.Fatal(err)
	}
	ns := authServer(t, func(o *server.Options) {
		res := &server.MemAccResolver{}
		_ = res.Store(apub, ajwt)
		_ = res.Store(sysPub, sjwt)
		o.TrustedOperators = []*jwt.OperatorClaims{opClaims}
		o.AccountResolver = res
		o.SystemAccount = sysPub
	})
	code, out, rep := runInProcess(t, "--nats", ns.ClientURL(), "--creds", writeFile(t, "user.creds", creds))
	if code != 0 || !strings.Contains(rep, `"scenario_metrics"`) {
		t.Fatalf("with the creds file: exit %d\n%s", code, out)
	}
	noSecret(t, []string{string(useed), ujwt}, out, rep)
	code, out, _ = runInProcess(t, "--nats", ns.ClientURL())
	if code == 0 || !strings.Contains(out, "Authorization Violation") {
		t.Errorf("without creds: exit %d\n%s", code, out)
	}
}

// pki is a test CA with a server certificate for 127.0.0.1 and a client
// certificate, written as PEM files.
type pki struct {
	caFile, serverCert, serverKey, clientCert, clientKey string
	otherCA                                              string // a CA that signed nothing here
}

func newPKI(t *testing.T) pki {
	t.Helper()
	dir := t.TempDir()
	write := func(name, typ string, der []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	key := func() *ecdsa.PrivateKey {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	now := time.Now()
	newCA := func(name string) (*x509.Certificate, *ecdsa.PrivateKey, []byte) {
		k := key()
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(now.UnixNano()), Subject: pkix.Name{CommonName: name},
			NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
			IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
		if err != nil {
			t.Fatal(err)
		}
		c, _ := x509.ParseCertificate(der)
		return c, k, der
	}
	ca, caKey, caDER := newCA("hedgeflow test CA")
	_, _, otherDER := newCA("some other CA")
	leaf := func(name string, usage x509.ExtKeyUsage, serial int64) ([]byte, []byte) {
		k := key()
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: name},
			NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage},
			IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, DNSNames: []string{"localhost"},
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &k.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		kder, err := x509.MarshalECPrivateKey(k)
		if err != nil {
			t.Fatal(err)
		}
		return der, kder
	}
	sder, skey := leaf("nats-server", x509.ExtKeyUsageServerAuth, 2)
	cder, ckey := leaf("hedgeflow-worker", x509.ExtKeyUsageClientAuth, 3)
	return pki{
		caFile:     write("ca.pem", "CERTIFICATE", caDER),
		otherCA:    write("other-ca.pem", "CERTIFICATE", otherDER),
		serverCert: write("server.pem", "CERTIFICATE", sder),
		serverKey:  write("server-key.pem", "EC PRIVATE KEY", skey),
		clientCert: write("client.pem", "CERTIFICATE", cder),
		clientKey:  write("client-key.pem", "EC PRIVATE KEY", ckey),
	}
}

// TLS with a custom CA and client certificates (mutual TLS).
func TestRunTLS(t *testing.T) {
	p := newPKI(t)
	ns := authServer(t, func(o *server.Options) {
		tc, err := server.GenTLSConfig(&server.TLSConfigOpts{
			CertFile: p.serverCert, KeyFile: p.serverKey, CaFile: p.caFile, Verify: true,
		})
		if err != nil {
			t.Fatal(err)
		}
		o.TLSConfig, o.TLS, o.TLSVerify, o.TLSTimeout = tc, true, true, 2
	})
	url := ns.ClientURL()
	keyPEM, _ := os.ReadFile(p.clientKey)

	code, out, rep := runInProcess(t, "--nats", url, "--tls-ca", p.caFile, "--tls-cert", p.clientCert, "--tls-key", p.clientKey)
	if code != 0 || !strings.Contains(rep, `"scenario_metrics"`) {
		t.Fatalf("with the CA and client certificate: exit %d\n%s", code, out)
	}
	noSecret(t, []string{string(keyPEM)}, out, rep)

	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown CA", []string{"--tls-ca", p.otherCA, "--tls-cert", p.clientCert, "--tls-key", p.clientKey}, "certificate signed by unknown authority"},
		{"no CA", []string{"--tls-cert", p.clientCert, "--tls-key", p.clientKey}, "certificate signed by unknown authority"},
		{"no client certificate", []string{"--tls-ca", p.caFile}, "connecting to " + url},
		{"cert without key", []string{"--tls-ca", p.caFile, "--tls-cert", p.clientCert}, "--tls-cert and --tls-key go together"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, _ := runInProcess(t, append([]string{"--nats", url}, c.args...)...)
			if code == 0 || !strings.Contains(out, c.want) {
				t.Errorf("exit %d, want failure with %q:\n%s", code, c.want, out)
			}
		})
	}
}
