// Package market holds a market snapshot: the currencies, credit ratings and
// sectors hedgeflow knows, zero curves per currency, FX spots and credit
// spreads by rating.
//
// Conventions: the base (reporting) currency is USD. FX spots are USD per one
// unit of the currency (EURUSD 1.035 means FX[EUR] = 1.035; FX[USD] = 1).
// Zero rates are continuously compounded fractions. Credit spreads are
// fractions (0.0102 = 102 bp) over the currency's zero curve, continuously
// compounded.
package market
