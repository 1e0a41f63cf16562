package main

import (
	"context"
	"io"
	"net/url"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"portal/domain"
)

// sellerVariables are the settings of the seller details, cleared by each test.
var sellerVariables = []string{"PORTAL_SELLER_NAME", "PORTAL_SELLER_ADDRESS", "PORTAL_SELLER_VAT_ID", "PORTAL_INVOICE_PREFIX"}

// TestServeSellerFromEnvironment: serve reads the seller details from the
// environment, the address split at newlines or at the two characters \n, and
// refuses details that are set but invalid, saying which and why.
func TestServeSellerFromEnvironment(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		want domain.Seller
		err  string // a part of the error when serve must refuse
	}{
		{name: "nothing set", want: domain.Seller{InvoicePrefix: "INV-"}},
		{name: "every detail, lines by real newlines",
			env: map[string]string{"PORTAL_SELLER_NAME": " Logiciels Étoile SAS ", "PORTAL_SELLER_ADDRESS": "12 rue de la Forêt\nBoîte 3\r\n69002 Lyon\n",
				"PORTAL_SELLER_VAT_ID": "fr 40 123456789", "PORTAL_INVOICE_PREFIX": "fac-"},
			want: domain.Seller{Name: "Logiciels Étoile SAS", Address: []string{"12 rue de la Forêt", "Boîte 3", "69002 Lyon"}, VATID: "FR40123456789", InvoicePrefix: "FAC-"}},
		{name: `lines by the two characters \n, as an env file holds them`,
			env:  map[string]string{"PORTAL_SELLER_NAME": "Étoile SAS", "PORTAL_SELLER_ADDRESS": `12 rue de la Forêt\nBoîte 3\n69002 Lyon`},
			want: domain.Seller{Name: "Étoile SAS", Address: []string{"12 rue de la Forêt", "Boîte 3", "69002 Lyon"}, InvoicePrefix: "INV-"}},
		{name: "only a prefix", env: map[string]string{"PORTAL_INVOICE_PREFIX": "RE/"}, want: domain.Seller{InvoicePrefix: "RE/"}},
		{name: "a VAT number of the wrong form", env: map[string]string{"PORTAL_SELLER_NAME": "Étoile SAS", "PORTAL_SELLER_VAT_ID": "FR123"},
			err: "FR followed by 2 letters or digits and 9 digits"},
		{name: "an address without a name", env: map[string]string{"PORTAL_SELLER_ADDRESS": "Boîte 3"}, err: "need PORTAL_SELLER_NAME"},
		{name: "a VAT number without a name", env: map[string]string{"PORTAL_SELLER_VAT_ID": "FR40123456789"}, err: "need PORTAL_SELLER_NAME"},
		{name: "a prefix with a space", env: map[string]string{"PORTAL_INVOICE_PREFIX": "IN V"}, err: "invoice number prefix"},
		{name: "seven address lines", env: map[string]string{"PORTAL_SELLER_NAME": "Étoile SAS", "PORTAL_SELLER_ADDRESS": `1\n2\n3\n4\n5\n6\n7`}, err: "at most 6 lines"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, name := range sellerVariables {
				t.Setenv(name, tc.env[name])
			}
			cfg, err := parseServeFlags(nil, io.Discard)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.Contains(err.Error(), "PORTAL_") {
					t.Errorf("error %v, want one naming the setting and saying %q", err, tc.err)
				}
				// serve itself refuses to start, with the same message.
				err := run(context.Background(), []string{"serve", "--data", filepath.Join(t.TempDir(), "data"), "--addr", "127.0.0.1:0"}, nil, io.Discard, io.Discard)
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Errorf("serve started, or failed otherwise: %v", err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(cfg.Seller, tc.want) {
				t.Errorf("seller = %+v, %v; want %+v", cfg.Seller, err, tc.want)
			}
		})
	}
}

// TestServeShowsTheSellerOfTheEnvironment: a running portal's admin finds the
// environment's details on /admin/seller until saving others.
func TestServeShowsTheSellerOfTheEnvironment(t *testing.T) {
	for _, name := range []string{"PORTAL_BASE_URL", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "PORTAL_TRUSTED_PROXIES", "PORTAL_DATABASE_URL"} {
		t.Setenv(name, "")
	}
	t.Setenv("PORTAL_SELLER_NAME", "Logiciels Étoile SAS")
	t.Setenv("PORTAL_SELLER_ADDRESS", `Boîte 3\n69002 Lyon`)
	t.Setenv("PORTAL_SELLER_VAT_ID", "FR40123456789")
	t.Setenv("PORTAL_INVOICE_PREFIX", "FAC-")
	data := filepath.Join(t.TempDir(), "data")
	ctx := context.Background()
	if err := run(ctx, []string{"user", "add", "--data", data, "--email", "ada@vendor.example", "--role", "admin", "--password-stdin"},
		strings.NewReader("correct horse battery\n"), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	s := startServe(t, "serve", "--data", data)
	c := browserlessClient(t)
	_, page := httpDo(t, c, "GET", s.base+"/staff/login", nil, "", "")
	tok := pageCSRF.FindStringSubmatch(page)
	if tok == nil {
		t.Fatalf("staff login page: %.300s", page)
	}
	form := url.Values{"email": {"ada@vendor.example"}, "password": {"correct horse battery"}, "_csrf": {tok[1]}}
	if status, _ := httpDo(t, c, "POST", s.base+"/staff/login", form, "", ""); status != 303 {
		t.Fatalf("staff login: %d", status)
	}
	status, page := httpDo(t, c, "GET", s.base+"/admin/seller", nil, "", "")
	for _, want := range []string{`value="Logiciels Étoile SAS"`, ">Boîte 3\n69002 Lyon</textarea>", `value="FR40123456789"`, `value="FAC-"`} {
		if status != 200 || !strings.Contains(page, want) {
			t.Errorf("/admin/seller (%d) lacks %s", status, want)
		}
	}
}
