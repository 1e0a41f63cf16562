package handlers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

// state is everything a state-changing form could change, in a comparable form:
// the catalog, orders, licenses (serials, versions) and activation keys, each
// license's history, purchases, staff accounts and the audit log.
func (p *testPortal) state(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	var b bytes.Buffer
	if _, err := p.store.Export(ctx, &b); err != nil {
		t.Fatal(err)
	}
	add := func(v any, err error) {
		if err != nil {
			t.Fatal(err)
		}
		j, _ := json.Marshal(v)
		b.Write(j)
		b.WriteByte('\n')
	}
	for _, email := range []string{"marie@acme.example", "john@northwind.example", "eve@csrf.example"} {
		add(p.store.PurchasesByEmail(ctx, email))
		licenses, err := p.store.LicensesByEmail(ctx, email)
		add(licenses, err)
		for _, l := range licenses {
			add(p.store.LicenseHistory(ctx, l.ID))
		}
	}
	add(p.store.FlaggedPurchases(ctx))
	add(p.store.StaffUsers(ctx))
	add(p.store.Audit(ctx, 1000))
	seller, saved, err := p.store.Seller(ctx)
	add(map[string]any{"seller": seller, "saved": saved}, err)
	return b.String()
}

// postForm sends form to path as c, as multipart when file is set, with the extra
// header; the client's cookies go along and are updated from the answer.
func (c *client) postForm(path string, form url.Values, file []byte, header map[string]string) response {
	c.t.Helper()
	if file == nil {
		return c.do("POST", path, form, header)
	}
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, vs := range form {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	fw, _ := w.CreateFormFile("file", "orders.jsonl")
	fw.Write(file)
	w.Close()
	req := httptest.NewRequest("POST", path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	for k, v := range header {
		req.Header.Set(k, v)
	}
	for name, value := range c.cookies {
		req.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	res, err := c.p.app.Test(req, -1)
	if err != nil {
		c.t.Fatalf("POST %s: %v", path, err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	for _, ck := range res.Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck.Value
		}
	}
	return response{res, string(b)}
}
