package views

import "time"

// The portal's mails, each as (subject, text, html), in the language of the
// frame (the language of the request that caused the mail). A link in a mail
// opens a page with one button, and only that button acts (mail scanners that
// fetch links must not use them up), so every mail says to open the link and
// press the button.

// ReminderMail answers "send me my order numbers": every order number bought
// with the address, and a link that signs in once within validFor.
func ReminderMail(f MailFrame, orders []string, signInURL string, validFor time.Duration) (subject, text, html string) {
	l := f.lang()
	b := newMailBody(f, l.T("mail.reminder_subject", "Count", len(orders), "Brand", f.Brand))
	b.para("mail.hello")
	b.para("mail.reminder_asked", "Count", len(orders), "Brand", f.Brand)
	b.list(orders)
	b.para("mail.reminder_link", "Duration", validFor)
	b.link("mail.sign_in", signInURL)
	b.para("mail.reminder_any_time", "Space", l.T("login.title"))
	b.para("mail.reminder_ignore")
	return b.render()
}

// EmailChangeConfirmMail goes to the new address: it confirms moving the
// orders of oldEmail there, once, within validFor.
func EmailChangeConfirmMail(f MailFrame, oldEmail, newEmail, confirmURL string, validFor time.Duration) (subject, text, html string) {
	b := newMailBody(f, f.lang().T("mail.confirm_subject", "Brand", f.Brand))
	b.para("mail.hello")
	b.para("mail.confirm_asked", "Old", oldEmail, "Brand", f.Brand, "New", newEmail)
	b.para("mail.confirm_link", "Duration", validFor)
	b.link("mail.confirm_button", confirmURL)
	b.para("mail.confirm_then", "New", newEmail, "Old", oldEmail)
	b.para("mail.confirm_ignore", "Old", oldEmail)
	return b.render()
}

// EmailChangeRequestedMail goes to the old address as soon as a move is asked
// for, with a link that cancels it.
func EmailChangeRequestedMail(f MailFrame, oldEmail, newEmail, cancelURL string) (subject, text, html string) {
	b := newMailBody(f, f.lang().T("mail.requested_subject", "Brand", f.Brand))
	b.para("mail.hello")
	b.para("mail.requested_asked", "Old", oldEmail, "Brand", f.Brand, "New", newEmail)
	b.para("mail.requested_nothing_yet")
	b.para("mail.requested_if_you")
	b.para("mail.requested_if_not")
	b.link("mail.cancel_button", cancelURL)
	if f.SupportEmail != "" {
		b.para("mail.requested_tell_support", "Support", f.SupportEmail)
	} else {
		b.para("mail.requested_tell")
	}
	return b.render()
}

// EmailChangedMail goes to the old address once the new one confirmed.
func EmailChangedMail(f MailFrame, oldEmail, newEmail string) (subject, text, html string) {
	b := newMailBody(f, f.lang().T("mail.changed_subject", "Brand", f.Brand))
	b.para("mail.hello")
	b.para("mail.changed_done", "Old", oldEmail, "Brand", f.Brand, "New", newEmail)
	b.para("mail.changed_from_now", "New", newEmail, "Old", oldEmail)
	if f.SupportEmail != "" {
		b.para("mail.changed_not_you_support", "Support", f.SupportEmail)
	} else {
		b.para("mail.changed_not_you")
	}
	return b.render()
}
