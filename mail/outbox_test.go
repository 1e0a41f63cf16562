package mail_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"portal/domain"
	"portal/mail"
)

// TestOutbox: the demo keeps the last mails, newest first, from many
// goroutines at once.
func TestOutbox(t *testing.T) {
	var outbox mail.Outbox
	if got := outbox.Mails(); len(got) != 0 {
		t.Fatalf("new outbox holds %d mails", len(got))
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 20 {
				if err := outbox.Send(context.Background(), domain.Mail{ID: fmt.Sprintf("g%d-%d", g, i)}); err != nil {
					t.Error(err)
				}
				outbox.Mails()
			}
		})
	}
	wg.Wait()
	if got := outbox.Mails(); len(got) != mail.OutboxSize {
		t.Fatalf("%d mails kept, want %d", len(got), mail.OutboxSize)
	}

	for i := range mail.OutboxSize + 5 {
		outbox.Send(context.Background(), domain.Mail{ID: fmt.Sprint(i)})
	}
	got := outbox.Mails()
	if len(got) != mail.OutboxSize || got[0].ID != fmt.Sprint(mail.OutboxSize+4) || got[len(got)-1].ID != "5" {
		t.Errorf("kept %d, newest %s, oldest %s: want %d, %d, 5", len(got), got[0].ID, got[len(got)-1].ID, mail.OutboxSize, mail.OutboxSize+4)
	}
	got[0].ID = "changed"
	if outbox.Mails()[0].ID == "changed" {
		t.Error("Mails shares the outbox's memory")
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := outbox.Send(ctx, domain.Mail{ID: "late"}); err == nil || outbox.Mails()[0].ID == "late" {
		t.Errorf("a cancelled send was kept (err %v)", err)
	}
}
