def capitalize_words(sentence):
    return ' '.join(w[:1].upper() + w[1:].lower() for w in sentence.split(' '))
