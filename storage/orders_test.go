package storage_test

import (
	"context"
	"fmt"

	"portal/domain"
	"portal/storage"
	"portal/storage/storetest"
)

func ExampleStore_ImportOrders() {
	s, err := storage.OpenInMemory(nilLogger())
	if err != nil {
		panic(err)
	}
	defer s.Close()
	o := domain.Order{Reference: "JWT1", Date: storetest.BaseDate, Name: "Acme", Country: "FR", Email: "a@acme.example",
		Currency: "EUR", Items: []domain.Item{{Description: "Remote Work", Quantity: 1, UnitAmount: 100}},
		ActivationKey: domain.NewActivationKey(), LicenseIDs: []string{domain.LicenseID("JWT1", 1)}}
	l := domain.License{ID: domain.LicenseID("JWT1", 1), OrderRef: "JWT1", Software: "Remote Work", Edition: "Standard", Users: 1}
	batch := []domain.OrderWithLicenses{{Order: o, Licenses: []domain.License{l}}}
	for range 2 {
		results, err := s.ImportOrders(context.Background(), batch)
		fmt.Println(results, err)
	}
	// Output:
	// [<nil>] <nil>
	// [an order with this reference already exists] <nil>
}
