package handlers_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"portal/domain"
	"portal/storage"
)

func (c *client) upload(path, field, name string, content []byte) response {
	c.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("_csrf", c.csrf)
	fw, _ := w.CreateFormFile(field, name)
	fw.Write(content)
	w.Close()
	req := httptest.NewRequest("POST", path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	for n, v := range c.cookies {
		req.Header.Add("Cookie", n+"="+v)
	}
	res, err := c.p.app.Test(req, -1)
	if err != nil {
		c.t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	return response{res, string(b)}
}

func TestAdminImportExportBackup(t *testing.T) {
	ctx := context.Background()
	p := newTestPortal(t)
	p.addStaff(t, "ada@vendor.example", domain.RoleAdmin)
	c := p.staff(t, "ada@vendor.example")
	c.get("/admin/data")
	file := `{"kind":"order","reference":"JWT200001","date":"2026-05-01T10:00:00Z","name":"Globex","country":"DE","city":"Berlin","contact_name":"Hank","email":"hank@globex.example","currency":"EUR","items":[{"description":"Remote Work Standard, 2 workstations","quantity":1,"unit_amount":18000}],"licenses":[{"software":"Remote Work","edition":"Standard","users":2,"serial":"","support_start":"2026-05-01","support_end":"2027-05-01"}]}
not json
`
	res := c.upload("/admin/import", "file", "globex.jsonl", []byte(file))
	if res.StatusCode != 200 || !strings.Contains(res.body, "imported: 1") || !strings.Contains(res.body, "line 2: not a JSON object") {
		t.Fatalf("import upload: %d %.500s", res.StatusCode, res.body)
	}
	if _, found, _ := p.store.Order(ctx, "JWT200001"); !found {
		t.Error("the uploaded order is not there")
	}

	c.get("/admin/data")
	export := c.post("/admin/export", nil)
	if export.StatusCode != 200 || !strings.Contains(export.Header.Get("Content-Disposition"), "attachment") ||
		!strings.Contains(export.body, `"reference":"JWT200001"`) || strings.Count(export.body, `"kind":"order"`) != 4 {
		t.Fatalf("export: %d %.300s", export.StatusCode, export.body)
	}

	// A backup downloaded while the portal serves restores into a portal that
	// serves the same customers.
	backup := c.post("/admin/backup", nil)
	if backup.StatusCode != 200 || len(backup.body) < 100 {
		t.Fatalf("backup: %d, %d bytes", backup.StatusCode, len(backup.body))
	}
	dir := filepath.Join(t.TempDir(), "restored")
	restored, err := storage.Open(dir, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	if err := restored.Load(ctx, domain.ReadBackup(strings.NewReader(backup.body))); err != nil {
		t.Fatal(err)
	}
	for _, email := range []string{"marie@acme.example", "hank@globex.example"} {
		if a, b := must(p.store.LicensesByEmail(ctx, email)), must(restored.LicensesByEmail(ctx, email)); len(a) == 0 || len(a) != len(b) {
			t.Errorf("%s: %d licenses before, %d after restore", email, len(a), len(b))
		}
	}
	var actions []string
	for _, e := range must(p.store.Audit(ctx, 10)) {
		actions = append(actions, e.Action)
	}
	if j := strings.Join(actions, ","); !strings.Contains(j, "import") || !strings.Contains(j, "export") || !strings.Contains(j, "backup") {
		t.Errorf("audit: %s", j)
	}
}
