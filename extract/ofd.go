package extract

import "errors"

func readOFD([]byte) ([]layoutPage, error) { return nil, errors.New("OFD is not read yet") }
