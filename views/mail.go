package views

import "time"

// The portal's mails, each as (subject, text, html). A link in a mail opens a
// page with one button, and only that button acts (mail scanners that fetch
// links must not use them up), so every mail says to open the link and press
// the button.

// ReminderMail answers "send me my order numbers": every order number bought
// with the address, and a link that signs in once within validFor.
func ReminderMail(f MailFrame, orders []string, signInURL string, validFor time.Duration) (subject, text, html string) {
	noun := "order numbers"
	if len(orders) == 1 {
		noun = "order number"
	}
	b := newMailBody("Your " + noun + " — " + f.Brand)
	b.para("Hello,")
	b.para("You asked for the %s bought with this email address at %s:", noun, f.Brand)
	b.list(orders)
	b.para("To sign in without typing one, open the link below and press the button on the page. "+
		"The link signs you in once, within %s:", mailDuration(validFor))
	b.link("Sign in", signInURL)
	b.para("You can also sign in at any time: choose “Access your personal space” and enter " +
		"this email address and any one of your order numbers.")
	b.para("If you did not ask for this email, you can ignore it: nothing changes, and the link " +
		"stops working by itself.")
	return b.render(f)
}

// EmailChangeConfirmMail goes to the new address: it confirms moving the
// orders of oldEmail there, once, within validFor.
func EmailChangeConfirmMail(f MailFrame, oldEmail, newEmail, confirmURL string, validFor time.Duration) (subject, text, html string) {
	b := newMailBody("Confirm your new email address — " + f.Brand)
	b.para("Hello,")
	b.para("We were asked to move all orders and licenses of %s at %s to this address, %s.",
		oldEmail, f.Brand, newEmail)
	b.para("To confirm, open the link below and press the button on the page. "+
		"The link works once, within %s:", mailDuration(validFor))
	b.link("Confirm the new address", confirmURL)
	b.para("Once you confirm, you sign in with %s and any one of your order numbers, and %s is told of the change.",
		newEmail, oldEmail)
	b.para("If you did not ask for this, ignore this email: nothing changes, and the orders stay with %s.",
		oldEmail)
	return b.render(f)
}

// EmailChangeRequestedMail goes to the old address as soon as a move is asked
// for, with a link that cancels it.
func EmailChangeRequestedMail(f MailFrame, oldEmail, newEmail, cancelURL string) (subject, text, html string) {
	b := newMailBody("Someone asked to move your orders — " + f.Brand)
	b.para("Hello,")
	b.para("Someone asked to move all orders and licenses of %s at %s to another email address: %s.",
		oldEmail, f.Brand, newEmail)
	b.para("Nothing changes until that address confirms it, with a link we sent there.")
	b.para("If it was you, there is nothing to do here.")
	b.para("If it was not you, cancel the change: open the link below and press the button on the page.")
	b.link("Cancel the change", cancelURL)
	b.para("Then tell us%s: only someone who knows your email address and one of your order numbers can ask for this.",
		f.contactSupport())
	return b.render(f)
}

// EmailChangedMail goes to the old address once the new one confirmed.
func EmailChangedMail(f MailFrame, oldEmail, newEmail string) (subject, text, html string) {
	b := newMailBody("Your orders moved to a new email address — " + f.Brand)
	b.para("Hello,")
	b.para("All orders and licenses of %s at %s now belong to %s, which confirmed the change.",
		oldEmail, f.Brand, newEmail)
	b.para("From now on, sign in with %s and any one of your order numbers; %s no longer signs in.",
		newEmail, oldEmail)
	b.para("If this was not you, contact us at once%s, with one of your order numbers.", f.contactSupport())
	return b.render(f)
}
